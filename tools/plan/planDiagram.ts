/**
 * A picture of one environment as a Mermaid flowchart: Azure resources as nodes grouped by resource
 * group and subnet, components with their children (parent edges), explicit ordering (dependsOn
 * edges), who can reach what (reachability.ts: solid open, dotted outside the stack, crossed closed),
 * the endpoint with who may call it, and each Foundry project with who may use it (role assignments).
 * GitHub renders it in pull requests and job summaries; anything else shows readable text.
 */
import { ReachPath, RunnerNetwork, reachability } from "../../infra/network/reachability";
import { AssignableRoles, BroadRoles, ProjectRoles } from "../../infra/access/roles";
import { MockClient } from "./azureMocks";
import { Plan, PlanResource, isComponent, runnerOf } from "./planModel";

const T = {
    resourceGroup: "azure-native:resources:ResourceGroup",
    account: "azure-native:cognitiveservices:Account",
    subnet: "azure-native:network:Subnet",
    privateEndpoint: "azure-native:network:PrivateEndpoint",
    roleAssignment: "azure-native:authorization:RoleAssignment",
    deployment: "azure-native:cognitiveservices:Deployment",
    project: "azure-native:cognitiveservices:Project",
};

/** A Mermaid label: each line escaped (quotes and angle brackets would end or break it), lines joined by <br/>. */
export function label(...lines: string[]): string {
    return `"${lines.map((l) => l.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;")).join("<br/>")}"`;
}

function shortType(type: string): string {
    return type.split(":").pop() ?? type;
}

function str(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

/** The resource group an Azure resource belongs to, from its inputs (or its scope's id). */
function resourceGroupOf(r: PlanResource): string | undefined {
    const scope = str(r.inputs.scope) ?? str(r.inputs.resourceUri);
    return str(r.inputs.resourceGroupName) ?? (scope ? /\/resourceGroups\/([^/]+)/i.exec(scope)?.[1] : undefined);
}

export function formatPlanDiagram(plan: Plan): string {
    const ids = new Map(plan.resources.map((r, i) => [r.name, `r${i}`]));
    const id = (r: PlanResource) => ids.get(r.name) as string;
    const lines = ["flowchart LR"];
    const node = (r: PlanResource, indent: string) =>
        lines.push(isComponent(r) ? `${indent}${id(r)}([${label(`${r.name}: ${shortType(r.type)}`)}])` : `${indent}${id(r)}[${label(r.name, shortType(r.type))}]`);

    const azure = plan.resources.filter((r) => !isComponent(r));
    const endpoints = azure.filter((r) => r.type === T.privateEndpoint);
    const subnetOf = (pe: PlanResource) => str((pe.inputs.subnet as Record<string, unknown> | undefined)?.id);
    const groups = [...new Set(azure.map(resourceGroupOf).filter((g): g is string => g !== undefined))];
    const placed = new Set<PlanResource>();

    groups.forEach((group, g) => {
        lines.push(`    subgraph g${g}[${label(`resource group ${group}`)}]`);
        const members = azure.filter((r) => resourceGroupOf(r) === group);
        // Private endpoints sit inside their subnet: a created one is a node, an existing one a box.
        const subnets = [...new Set(endpoints.filter((pe) => members.includes(pe)).map(subnetOf).filter((s): s is string => s !== undefined))];
        subnets.forEach((subnetId, s) => {
            const created = members.find((r) => r.type === T.subnet && subnetId.endsWith(`/subnets/${str(r.inputs.subnetName)}`));
            lines.push(`        subgraph g${g}s${s}[${label(`subnet ${subnetId.split("/").pop()}${created ? "" : " (existing)"}`)}]`);
            for (const r of [created, ...endpoints.filter((pe) => subnetOf(pe) === subnetId)]) {
                if (r && !placed.has(r)) (node(r, "            "), placed.add(r));
            }
            lines.push("        end");
        });
        for (const r of members) if (!placed.has(r)) (node(r, "        "), placed.add(r));
        lines.push("    end");
    });
    for (const r of plan.resources) if (!placed.has(r)) node(r, "    ");

    for (const r of plan.resources) {
        const parent = r.parent === null ? undefined : ids.get(r.parent);
        if (parent) lines.push(`    ${parent} --- ${id(r)}`);
        for (const before of r.dependsOn) if (ids.has(before)) lines.push(`    ${ids.get(before)} -. before .-> ${id(r)}`);
    }

    reachabilityEdges(azure, id, lines, runnerOf(plan));
    // A provisioned deployment's overflow, to the standard deployment of its account that takes it.
    for (const d of azure.filter((r) => r.type === T.deployment)) {
        const target = str((d.inputs.properties as Record<string, unknown> | undefined)?.spilloverDeploymentName);
        const to = target && azure.find((r) => r.type === T.deployment && r.inputs.accountName === d.inputs.accountName && r.inputs.deploymentName === target);
        if (to) lines.push(`    ${id(d)} -.->|${label("spills over to")}| ${id(to)}`);
    }

    const account = azure.find((r) => r.type === T.account);
    const endpoint = str(plan.outputs.endpoint);
    if (account && endpoint) {
        lines.push(`    endpoint{{${label(endpoint)}}}`, `    ${id(account)} === endpoint`);
        // Only roles on the account say who may call it; the key's roles are drawn by their dependsOn edges.
        const accountScope = (a: PlanResource) => (str(a.inputs.scope) ?? "").toLowerCase().endsWith(`/accounts/${str(account.inputs.accountName)?.toLowerCase()}`);
        for (const a of azure.filter((r) => r.type === T.roleAssignment && accountScope(r))) {
            lines.push(`    ${id(a)}_who>${label(principalOf(a))}] -->|${label(`Entra ID: ${roleNameOf(a)}`)}| endpoint`);
        }
    }
    // Each Foundry project, and who may use it: roles granted on the project alone.
    for (const project of azure.filter((r) => r.type === T.project)) {
        const projectScope = (a: PlanResource) => (str(a.inputs.scope) ?? "").toLowerCase().endsWith(`/projects/${str(project.inputs.projectName)?.toLowerCase()}`);
        for (const a of azure.filter((r) => r.type === T.roleAssignment && projectScope(r))) {
            lines.push(`    ${id(a)}_who>${label(principalOf(a))}] -->|${label(`Entra ID: ${roleNameOf(a)}`)}| ${id(project)}`);
        }
    }
    return lines.join("\n") + "\n";
}

/** Who an assignment is for; offline, the identity running `pulumi up` is the mocks' placeholder object id. */
function principalOf(a: PlanResource): string {
    return a.inputs.principalId === MockClient.objectId ? "the identity running pulumi up" : `${str(a.inputs.principalType) ?? "principal"} ${str(a.inputs.principalId)}`;
}

/** The Azure name inputs a path's end may be, per its kind (`account x`, `gateway x`, ...). */
const EndInputs: Record<string, [string, string]> = {
    account: [T.account, "accountName"],
    gateway: ["azure-native:apimanagement:ApiManagementService", "serviceName"],
    network: ["azure-native:network:VirtualNetwork", "virtualNetworkName"],
    "key vault": ["azure-native:keyvault:Vault", "vaultName"],
    workspace: ["azure-native:operationalinsights:Workspace", "workspaceName"],
};

/** Every reachability path as an edge between the resources it joins (or a node of its own for what the stack does not declare). */
function reachabilityEdges(azure: PlanResource[], id: (r: PlanResource) => string, lines: string[], runner?: RunnerNetwork): void {
    const paths: ReachPath[] = reachability(azure.map((r) => ({ type: r.type, props: r.inputs })), runner);
    const extra = new Map<string, string>();
    const nodeOf = (end: string): string => {
        const kind = Object.keys(EndInputs).find((k) => end.startsWith(`${k} `));
        const found = kind && azure.find((r) => r.type === EndInputs[kind][0] && r.inputs[EndInputs[kind][1]] === end.slice(kind.length + 1));
        if (found) return id(found);
        if (!extra.has(end)) {
            const node = `x${extra.size}`;
            extra.set(end, node);
            lines.push(end === "internet" ? `    ${node}((${label("internet")}))` : `    ${node}[${label(end)}]`);
        }
        return extra.get(end)!;
    };
    for (const p of paths) {
        const how = p.how.length > 60 ? `${p.how.slice(0, 57)}...` : p.how;
        const arrow = p.state === "open" ? "-->" : p.state === "outside" ? "-.->" : "--x";
        lines.push(`    ${nodeOf(p.from)} ${arrow}|${label(`${p.state}: ${how}`)}| ${nodeOf(p.to)}`);
    }
}

/** The role an assignment grants, by name where it is a built-in role this project knows. */
export function roleNameOf(a: PlanResource): string {
    const guid = str(a.inputs.roleDefinitionId)?.split("/").pop()?.toLowerCase() ?? "";
    const known: Record<string, string> = { ...AssignableRoles, ...ProjectRoles, ...BroadRoles };
    return Object.keys(known).find((name) => known[name] === guid) ?? `role ${guid}`;
}
