/**
 * The plan for people: resources as a tree under their components, each input on its own line as a
 * dotted path (so a pull-request diff of two plans points at exactly the property that changed), the
 * outputs, then a diagram of the environment. As Markdown, the same text and diagram in one document.
 */
import { describeLifecycle } from "../../infra/deployments/modelLifecycle";
import { formatPath, reachability } from "../../infra/network/reachability";
import { teamsInPolicy } from "../../infra/gateway/teamPolicy";
import { benchmarkLedger } from "../../policy/benchmark";
import { processingScope } from "../../infra/protection/residency";
import { ProjectRoles } from "../../infra/access/roles";
import { formatPlanDiagram } from "./planDiagram";
import { formatSummaryDiagram } from "./summaryDiagram";
import { Placeholder, Plan, PlanAlias, PlanResource, flatten, isComponent, runnerOf } from "./planModel";

function formatTree(plan: Plan, source: string, placeholders: readonly Placeholder[], today: Date): string {
    const lines = [`Stack ${plan.stack} (${source}): ${plan.resources.length} resources`, ""];
    // A stand-in value gets a comment line above it, so the value's own line reads (and diffs) as ever.
    const entry = (indent: string, path: string, value: unknown) => {
        const mark = typeof value === "string" ? placeholders.find((p) => value.includes(p.value)) : undefined;
        if (mark) lines.push(`${indent}# placeholder below: ${mark.why}`);
        lines.push(`${indent}${path} = ${JSON.stringify(value)}`);
    };
    const children = new Map<string | null, PlanResource[]>();
    for (const r of plan.resources) {
        children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    }
    // An alias says where the resource stood before, so Pulumi moves it in state and Azure sees nothing.
    const wasAt = (a: PlanAlias) => `was ${[a.parent === undefined ? "" : a.parent === null ? "at the top" : `under ${a.parent}`, a.name ? `named ${a.name}` : "", a.type ? `a ${a.type}` : ""].filter(Boolean).join(", ")}`;
    const visit = (parent: string | null, depth: number) => {
        for (const r of children.get(parent) ?? []) {
            const indent = "    ".repeat(depth);
            const flags = [r.protect ? "protected" : "", r.dependsOn.length ? `after ${r.dependsOn.join(", ")}` : "", ...(r.aliases ?? []).map(wasAt)].filter(Boolean);
            lines.push(`${indent}+ ${r.name}  (${r.type})${flags.length ? `  [${flags.join("; ")}]` : ""}`);
            if (Object.keys(r.inputs).length > 0) {
                for (const [path, value] of flatten(r.inputs)) entry(`${indent}      `, path, value);
            }
            visit(r.name, depth + 1);
        }
    };
    visit(null, 0);
    // Where each deployment may process prompts, from its SKU: what a residency review asks first.
    const location = plan.resources.find((r) => r.type === "azure-native:cognitiveservices:Account")?.inputs.location;
    const deployments = plan.resources.filter((r) => r.type === "azure-native:cognitiveservices:Deployment");
    if (typeof location === "string" && deployments.length > 0) {
        lines.push("", "Where prompts may be processed:");
        for (const d of deployments) {
            const sku = String((d.inputs.sku as { name?: unknown } | undefined)?.name ?? "");
            lines.push(`    ${String(d.inputs.deploymentName)} (${sku}): ${processingScope(sku, location)}`);
        }
    }
    // When each deployment's model version retires: a stack goes stale without anyone touching it.
    const versions = [...new Set(deployments.map((d) => {
        const model = ((d.inputs.properties as { model?: { name?: unknown; version?: unknown } } | undefined)?.model ?? {});
        const sku = String((d.inputs.sku as { name?: unknown } | undefined)?.name ?? "");
        return `${String(d.inputs.deploymentName)}: ${describeLifecycle(String(model.name), String(model.version), today, sku)}`;
    }))];
    if (versions.length > 0) {
        lines.push("", `Model lifecycle, as of ${today.toISOString().slice(0, 10)}:`, ...versions.map((v) => `    ${v}`));
    }
    // Where a provisioned deployment's overflow goes, per account.
    const spills = deployments.filter((d) => typeof (d.inputs.properties as { spilloverDeploymentName?: unknown } | undefined)?.spilloverDeploymentName === "string");
    if (spills.length > 0) {
        lines.push("", "Spillover (when a provisioned deployment is at capacity, Azure sends the overflow to):");
        for (const d of spills) {
            const sku = String((d.inputs.sku as { name?: unknown } | undefined)?.name ?? "");
            lines.push(`    ${String(d.inputs.accountName)}: ${String(d.inputs.deploymentName)} (${sku}) -> ${String((d.inputs.properties as { spilloverDeploymentName: string }).spilloverDeploymentName)}`);
        }
    }
    // Who can reach what: a reviewed property, not a consequence to work out from the inputs.
    const paths = reachability(plan.resources.filter((r) => !isComponent(r)).map((r) => ({ type: r.type, props: r.inputs })), runnerOf(plan));
    if (paths.length > 0) {
        lines.push("", "Who can reach what (open: the stack lets it through; closed: it does not; outside: up to something the stack does not own):");
        for (const p of paths) lines.push(`    ${formatPath(p)}`);
    }
    // Each application team's Foundry project, and who may use it (roles on the project only).
    const projects = plan.resources.filter((r) => r.type === "azure-native:cognitiveservices:Project");
    if (projects.length > 0) {
        lines.push("", "Foundry projects (who may use each, with roles on the project only; and what the project's own identity may do on its account):");
        for (const p of projects) {
            const name = String(p.inputs.projectName);
            const scoped = plan.resources.filter((r) => r.type === "azure-native:authorization:RoleAssignment" && String(r.inputs.scope ?? "").toLowerCase().endsWith(`/projects/${name.toLowerCase()}`));
            const who = scoped.map((a) => `${roleName(a.inputs.roleDefinitionId)} to ${String(a.inputs.principalType)} ${String(a.inputs.principalId)}`);
            const identity = String((p.inputs.identity as { type?: unknown } | undefined)?.type ?? "no identity");
            lines.push(`    ${String(p.inputs.accountName)}/${name} (identity ${identity}): ${who.length > 0 ? who.join("; ") : "nobody yet"}`);
            const own = plan.resources.filter((r) => r.type === "azure-native:authorization:RoleAssignment" && r.name.endsWith(`-project-${name}-identity`));
            lines.push(`        its own identity: ${own.length > 0 ? own.map((a) => `${roleName(a.inputs.roleDefinitionId)} on ${String(a.inputs.scope).split("/").pop()}`).join("; ") : "no role on its account: its agents and evaluations get 401/403"}`);
        }
    }
    lines.push(...teamLines(plan));
    // The security benchmark's controls a review of prod found, each held, open or exempt with its reason.
    const ledger = benchmarkLedger(plan.resources.filter((r) => !isComponent(r)).map((r) => ({ type: r.type, props: r.inputs }))).filter((c) => c.state !== "not applicable");
    if (ledger.length > 0) {
        lines.push("", "Microsoft cloud security benchmark (held: the plan holds it; open: it does not; exempt: deliberately not, with the reason):");
        for (const c of ledger) lines.push(`    ${c.state.padEnd(6)}  ${c.control}: ${c.why}`);
    }
    // The gateway's policy as the XML it is, since a reviewer reads it as code.
    for (const policy of plan.resources.filter((r) => r.type === "azure-native:apimanagement:ApiPolicy" && typeof r.inputs.value === "string")) {
        lines.push("", `Gateway policy (${policy.name}):`, ...String(policy.inputs.value).split("\n").map((line) => `    ${line}`));
    }
    lines.push("", "Outputs:");
    for (const [path, value] of flatten(plan.outputs)) entry("    ", path, value);
    return lines.join("\n") + "\n";
}

/** A project role's name from its definition id. */
function roleName(roleDefinitionId: unknown): string {
    const guid = String(roleDefinitionId ?? "").split("/").pop()?.toLowerCase() ?? "";
    return (Object.keys(ProjectRoles) as (keyof typeof ProjectRoles)[]).find((name) => ProjectRoles[name] === guid) ?? `role ${guid}`;
}

export function formatPlanText(plan: Plan, source: string, placeholders: readonly Placeholder[] = [], today: Date = new Date()): string {
    return [
        formatTree(plan, source, placeholders, today),
        "Summary (Mermaid; paste into a Markdown file or https://mermaid.live to view):",
        formatSummaryDiagram(plan),
        "Diagram of every resource (Mermaid):",
        formatPlanDiagram(plan),
    ].join("\n");
}

/**
 * Plan text and diagrams as one Markdown document, for pull-request comments and job summaries: the
 * summary a reviewer reads at a glance, then the full diagram and every input, each folded.
 */
export function formatPlanMarkdown(plan: Plan, source: string, placeholders: readonly Placeholder[] = [], today: Date = new Date()): string {
    return [
        `## Plan: stack \`${plan.stack}\``,
        "",
        "```mermaid",
        formatSummaryDiagram(plan).trimEnd(),
        "```",
        "",
        "<details><summary>Diagram of every resource</summary>",
        "",
        "```mermaid",
        formatPlanDiagram(plan).trimEnd(),
        "```",
        "",
        "</details>",
        "",
        "<details><summary>Every resource and input</summary>",
        "",
        "```text",
        formatTree(plan, source, placeholders, today).trimEnd(),
        "```",
        "",
        "</details>",
        "",
    ].join("\n");
}

/** Who may call the gateway for what and how much, read from its policy, and where their usage goes. */
function teamLines(plan: Plan): string[] {
    const policy = plan.resources.find((r) => r.type === "azure-native:apimanagement:ApiPolicy" && typeof r.inputs.value === "string");
    const teams = policy ? teamsInPolicy(String(policy.inputs.value)) : [];
    if (teams.length === 0) return [];
    const insights = plan.resources.find((r) => r.type === "azure-native:applicationinsights:Component")?.inputs.resourceName;
    const query = plan.resources.find((r) => r.type === "azure-native:operationalinsights:SavedSearch");
    const limit = (t: (typeof teams)[number]) =>
        [t.tokensPerMinute !== undefined ? `${t.tokensPerMinute} tokens/minute` : "", t.tokenQuota !== undefined ? `${t.tokenQuota} tokens ${t.tokenQuotaPeriod}` : ""].filter(Boolean).join(", ") || "no limit (metered only)";
    return [
        "",
        "Gateway teams (a caller in no team gets 403 UnknownCaller; another deployment 403 DeploymentNotAllowed):",
        ...teams.map((t) => `    ${t.name}: by ${t.recognisedBy}; deployments ${t.deployments.join(", ")}; ${limit(t)}`),
        `    usage: token metrics by Team, Deployment, Model to ${String(insights ?? "nowhere")}; LLM logs to ${String(query?.inputs.workspaceName ?? "nowhere")} (ApiManagementGatewayLlmLog); chargeback query ${String(query?.inputs.functionAlias ?? "none")}`,
    ];
}
