/**
 * What a change means to the people who call the environment, ahead of which property moved: a new
 * endpoint (every client's configuration), a deployment that goes away or is recreated (404s until it
 * is back), capacity down (429s), and who can reach what (a path opened or closed). Worked out from the
 * two plans' outputs and reachability, and from the changes plan-diff found.
 */
import { reachability } from "../../infra/network/reachability";
import { Plan, PlanResource, isComponent, runnerOf } from "../plan/planModel";
import type { Change, Severity } from "./planDiff";

export interface Consequence {
    severity: Severity;
    what: string;
}

/** Each endpoint a client configures, by what it is: the primary account, each region, Foundry, the gateway. */
function endpoints(plan: Plan): Map<string, string> {
    const o = plan.outputs;
    const found = new Map<string, string>();
    const put = (key: string, value: unknown) => typeof value === "string" && value !== "[secret]" && found.set(key, value);
    put("the Azure OpenAI endpoint", o.endpoint);
    put("the Foundry endpoint", o.foundryEndpoint);
    put("the gateway's endpoint", o.gatewayEndpoint);
    for (const r of Array.isArray(o.regions) ? (o.regions as { location?: unknown; endpoint?: unknown; primary?: unknown }[]) : []) {
        if (r.primary !== true) put(`the ${String(r.location)} endpoint`, r.endpoint);
    }
    return found;
}

/** Azure names to the logical names of their resources, so paths compare across a rename. */
function logicalNames(plan: Plan): (text: string) => string {
    const byAzureName = new Map<string, string>();
    for (const r of plan.resources.filter((x) => !isComponent(x))) {
        for (const key of ["accountName", "serviceName", "virtualNetworkName", "vaultName", "workspaceName"]) {
            const name = r.inputs[key];
            if (typeof name === "string" && ["Account", "ApiManagementService", "VirtualNetwork", "Vault", "Workspace"].some((t) => r.type.endsWith(`:${t}`))) byAzureName.set(name, r.name);
        }
    }
    return (text) => text.replace(/^(account|gateway|network|key vault|workspace) (\S+)$/, (whole, kind: string, name: string) => (byAzureName.has(name) ? `${kind} ${byAzureName.get(name)}` : whole));
}

function paths(plan: Plan): Map<string, { state: string; from: string; to: string }> {
    const logical = logicalNames(plan);
    const resources = plan.resources.filter((r: PlanResource) => !isComponent(r)).map((r) => ({ type: r.type, props: r.inputs }));
    return new Map(reachability(resources, runnerOf(plan)).map((p) => [`${logical(p.from)} -> ${logical(p.to)}`, { state: p.state, from: p.from, to: p.to }]));
}

export function consequencesOf(before: Plan, after: Plan, changes: Change[]): Consequence[] {
    const found: Consequence[] = [];
    const [was, now] = [endpoints(before), endpoints(after)];
    for (const [what, url] of was) {
        const next = now.get(what);
        if (next === undefined) found.push({ severity: "danger", what: `${what} goes away (${url}): its callers have nowhere to call` });
        else if (next !== url) found.push({ severity: "danger", what: `${what} changes: ${url} -> ${next}; every client's configuration must change` });
    }
    for (const [what, url] of now) if (!was.has(what)) found.push({ severity: "info", what: `${what} is new: ${url}` });

    const deployment = (c: Change) => c.type === "azure-native:cognitiveservices:Deployment";
    const gone = changes.filter((c) => deployment(c) && c.kind === "delete").map((c) => c.resource);
    const recreated = [...new Set(changes.filter((c) => deployment(c) && c.kind === "replace").map((c) => c.resource))];
    if (gone.length) found.push({ severity: "danger", what: `deployment(s) ${gone.join(", ")} go away: their callers get 404 DeploymentNotFound` });
    if (recreated.length) found.push({ severity: "danger", what: `deployment(s) ${recreated.join(", ")} are created anew: their calls fail until each is back` });
    for (const c of changes.filter((x) => x.kind === "capacity" && typeof x.before === "number" && typeof x.after === "number" && x.after < x.before)) {
        found.push({ severity: "warning", what: `capacity of ${c.resource} goes down ${String(c.before)} -> ${String(c.after)}: less throughput, more 429s` });
    }

    const [pb, pa] = [paths(before), paths(after)];
    for (const [key, p] of pa) {
        const old = pb.get(key);
        if (old && old.state === p.state) continue;
        if (!old && p.state !== "open") continue;
        const opened = p.state === "open" && old?.state !== "open";
        const severity: Severity = opened && p.from === "internet" ? "danger" : opened ? "info" : "danger";
        found.push({ severity, what: `${p.from} -> ${p.to}: ${old ? `${old.state} -> ${p.state}` : `new, ${p.state}`}` });
    }
    for (const [key, p] of pb) {
        if (!pa.has(key) && p.state === "open") found.push({ severity: "warning", what: `${p.from} -> ${p.to}: no longer a path (it was open)` });
    }
    const order: Severity[] = ["danger", "warning", "info"];
    return found.sort((x, y) => order.indexOf(x.severity) - order.indexOf(y.severity));
}
