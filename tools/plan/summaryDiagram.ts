/**
 * The picture a reviewer reads at a glance: per region, the account with its endpoint, its deployments
 * in one box, and what operates it (alerts, logs, key) counted in another; the gateway; who may call
 * each account (role assignments collapsed by principal); and who can reach what (solid open, dotted
 * outside the stack, crossed closed). Everything else is in the full diagram (planDiagram.ts).
 */
import { teamsInPolicy } from "../../infra/gateway/teamPolicy";
import { reachability } from "../../infra/network/reachability";
import { label, roleNameOf } from "./planDiagram";
import { MockClient, MockCreated } from "./azureMocks";
import { Plan, PlanResource, isComponent, runnerOf } from "./planModel";

const T = {
    account: "azure-native:cognitiveservices:Account",
    deployment: "azure-native:cognitiveservices:Deployment",
    project: "azure-native:cognitiveservices:Project",
    gateway: "azure-native:apimanagement:ApiManagementService",
    role: "azure-native:authorization:RoleAssignment",
    alert: "azure-native:monitor:MetricAlert",
    diagnostics: "azure-native:monitor:DiagnosticSetting",
    vault: "azure-native:keyvault:Vault",
};

const str = (v: unknown) => (typeof v === "string" ? v : "");
const nested = (v: unknown, key: string) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[key] : undefined);
const last = (id: string) => id.split("/").pop() ?? id;

export function formatSummaryDiagram(plan: Plan): string {
    const azure = plan.resources.filter((r) => !isComponent(r));
    const of = (type: string) => azure.filter((r) => r.type === type);
    const lines = ["flowchart LR"];
    const nodes = new Map<string, string>();
    // Identities Azure creates have stand-in ids offline: name them by what they are.
    const principals = new Map<string, string>([
        [MockClient.objectId, "the identity running pulumi up"],
        [MockCreated.gatewayPrincipalId, "the gateway's identity"],
        ...of(T.project).map((p) => [MockCreated.projectPrincipalId(str(p.inputs.projectName)), `project ${str(p.inputs.projectName)}'s identity`] as [string, string]),
    ]);
    const node = (key: string, shape: (id: string) => string): string => {
        if (!nodes.has(key)) {
            const id = `n${nodes.size}`;
            nodes.set(key, id);
            lines.push(`    ${shape(id)}`);
        }
        return nodes.get(key)!;
    };

    of(T.account).forEach((account, i) => {
        const name = str(account.inputs.accountName);
        const subdomain = str(nested(account.inputs.properties, "customSubDomainName"));
        lines.push(`    subgraph region${i}[${label(`${i === 0 ? "primary" : "secondary"} region ${str(account.inputs.location)}`)}]`);
        node(`account ${name}`, (id) => `${id}[${label(name, `${str(account.inputs.kind)}, https://${subdomain}.openai.azure.com/`)}]`);
        const deployments = of(T.deployment).filter((d) => d.inputs.accountName === name);
        if (deployments.length > 0) {
            const lines_ = deployments.map((d) => {
                const model = nested(d.inputs.properties, "model");
                return `${str(d.inputs.deploymentName)}: ${str(nested(model, "name"))} ${str(nested(model, "version"))}, ${str(nested(d.inputs.sku, "name"))} x${String(nested(d.inputs.sku, "capacity") ?? "")}`;
            });
            lines.push(`    ${node(`deployments ${name}`, (id) => `${id}[${label(...lines_)}]`)} --- ${nodes.get(`account ${name}`)}`);
        }
        const scoped = (r: PlanResource) => str(r.inputs.resourceUri ?? r.inputs.scope).toLowerCase().endsWith(`/accounts/${name.toLowerCase()}`);
        const alerts = of(T.alert).filter((a) => (nested(a.inputs, "scopes") as unknown[] | undefined)?.some((s) => str(s).toLowerCase().endsWith(`/accounts/${name.toLowerCase()}`)));
        const logs = of(T.diagnostics).filter(scoped).map((d) => last(str(d.inputs.workspaceId)) || "a destination");
        const key = str(nested(nested(nested(account.inputs.properties, "encryption"), "keyVaultProperties"), "keyVaultUri"));
        const ops = [`${alerts.length} alert${alerts.length === 1 ? "" : "s"}`, logs.length ? `logs to ${logs.join(", ")}` : "no logs", key ? `key in ${new URL(key).hostname.split(".")[0]}` : "Microsoft-managed key"];
        lines.push(`    ${node(`ops ${name}`, (id) => `${id}[${label(...ops)}]`)} --- ${nodes.get(`account ${name}`)}`);
        for (const project of of(T.project).filter((p) => p.inputs.accountName === name)) {
            lines.push(`    ${node(`project ${str(project.inputs.projectName)}`, (id) => `${id}([${label(`project ${str(project.inputs.projectName)}`)}])`)} --- ${nodes.get(`account ${name}`)}`);
        }
        lines.push("    end");
        // Who may call it: its role assignments, one node per principal with the roles it holds here.
        const byPrincipal = new Map<string, string[]>();
        for (const a of of(T.role).filter(scoped)) {
            const who = principals.get(str(a.inputs.principalId)) ?? `${str(a.inputs.principalType)} ${str(a.inputs.principalId)}`;
            byPrincipal.set(who, [...(byPrincipal.get(who) ?? []), roleNameOf(a)]);
        }
        for (const [who, roles] of byPrincipal) {
            lines.push(`    ${node(`caller ${who}`, (id) => `${id}>${label(who)}]`)} -->|${label(roles.join(", "))}| ${nodes.get(`account ${name}`)}`);
        }
    });
    for (const gateway of of(T.gateway)) {
        const id = node(`gateway ${str(gateway.inputs.serviceName)}`, (id) => `${id}{{${label(`gateway ${str(gateway.inputs.serviceName)}`, `${str(nested(gateway.inputs.sku, "name"))}, public access ${str(gateway.inputs.publicNetworkAccess) || "Enabled"}`)}}}`);
        // Its teams, each with what it may call and how much, and where their usage goes.
        const policy = azure.find((r) => r.type === "azure-native:apimanagement:ApiPolicy" && typeof r.inputs.value === "string");
        for (const team of policy ? teamsInPolicy(str(policy.inputs.value)) : []) {
            const limits = [team.tokensPerMinute !== undefined ? `${team.tokensPerMinute}/min` : "", team.tokenQuota !== undefined ? `${team.tokenQuota}/${team.tokenQuotaPeriod}` : ""].filter(Boolean).join(", ") || "no limit";
            lines.push(`    ${node(`team ${team.name}`, (t) => `${t}>${label(`team ${team.name}`, team.deployments.join(", "))}]`)} -->|${label(limits)}| ${id}`);
        }
        const insights = azure.find((r) => r.type === "azure-native:applicationinsights:Component");
        if (insights) lines.push(`    ${id} -.->|${label("token metrics by team, deployment, model")}| ${node(`usage ${str(insights.inputs.resourceName)}`, (u) => `${u}[(${label(`usage ${str(insights.inputs.resourceName)}`)})]`)}`);
    }

    // A hub: its tools network and the zones it holds for every environment.
    const zones = azure.filter((r) => r.type === "azure-native:privatedns:PrivateZone").map((z) => str(z.inputs.privateZoneName));
    for (const vnet of azure.filter((r) => r.type === "azure-native:network:VirtualNetwork" && of(T.account).length === 0)) {
        const subnets = azure.filter((r) => r.type === "azure-native:network:Subnet").map((sn) => `subnet ${str(sn.inputs.subnetName)} ${str(sn.inputs.addressPrefix)}${nested(sn.inputs, "natGateway") ? ", out through a NAT gateway" : ""}`);
        const net = node(`network ${str(vnet.inputs.virtualNetworkName)}`, (id) => `${id}[${label(`network ${str(vnet.inputs.virtualNetworkName)}`, ...subnets)}]`);
        if (zones.length > 0) lines.push(`    ${node("zones", (id) => `${id}[${label(`${zones.length} private DNS zones`, ...zones)}]`)} ---|${label("linked")}| ${net}`);
    }

    // Who can reach the accounts and the gateway; a key or a log destination only when its path is not open.
    const paths = reachability(azure.map((r) => ({ type: r.type, props: r.inputs })), runnerOf(plan));
    for (const p of paths.filter((p) => /^(account|gateway) /.test(p.to) || p.state !== "open")) {
        const end = (e: string) => nodes.get(e) ?? nodes.get(`ops ${e.replace(/^account /, "")}`) ?? node(e, (id) => (e === "internet" ? `${id}((${label("internet")}))` : `${id}[${label(e)}]`));
        const arrow = p.state === "open" ? "-->" : p.state === "outside" ? "-.->" : "--x";
        const from = end(p.from);
        lines.push(`    ${from} ${arrow}|${label(p.state)}| ${end(p.to)}`);
    }
    return lines.join("\n") + "\n";
}
