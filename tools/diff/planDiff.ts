/**
 * Compares two offline plans (Contract 1) and lists the changes that matter, most dangerous first:
 * replacements (a new Azure name, or a move Pulumi cannot follow), deletions, wider network exposure, keys turned on, protection or diagnostics removed,
 * then capacity, SKU and role changes, then the rest.
 */
import { Lifecycle, lifecycleOf } from "../../infra/deployments/modelLifecycle";
import { Plan, PlanResource, flatten, isComponent } from "../plan/planModel";
import type { Consequence } from "./consequences";
import { pairResources } from "./urns";
import { Failover, KeyMaterial, Monitoring, ReplaceOnChange, ReplaceWhy } from "./replaceRules";

export type Severity = "danger" | "warning" | "info";
export type ChangeKind =
    | "replace"
    | "kind"
    | "delete"
    | "network-exposure"
    | "local-auth"
    | "protection-removed"
    | "diagnostics-removed"
    | "monitoring-removed"
    | "encryption"
    | "content-filter"
    | "capacity"
    | "sku"
    | "role"
    | "create"
    | "moved"
    | "update";

export interface Change {
    severity: Severity;
    kind: ChangeKind;
    type: string;
    resource: string;
    path: string | null;
    before: unknown;
    after: unknown;
    message: string;
}

const SeverityOrder: Severity[] = ["danger", "warning", "info"];
const KindOrder: ChangeKind[] = ["replace", "kind", "delete", "network-exposure", "local-auth", "protection-removed", "diagnostics-removed", "monitoring-removed", "encryption", "content-filter", "capacity", "sku", "role", "create", "moved", "update"];

/** Values of the inputs under `path` (an object or list) as one comparable text. */
function subtree(inputs: Record<string, unknown>, path: string): string[] {
    return flatten(inputs).filter(([k]) => k === path || k.startsWith(`${path}.`) || k.startsWith(`${path}[`)).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
}

function show(value: unknown): string {
    return value === undefined ? "(unset)" : JSON.stringify(value);
}

const LinkCollision =
    "links a zone to a network still linked to another zone of the same name, which Azure refuses; Pulumi creates it before it deletes the old link, so pulumi up fails here. Delete the old link first (docs/hub.md, \"Moving an environment into the hub\")";

/** A new private DNS zone link onto a network whose old link to a zone of the same name this change deletes. */
function linkCollides(r: PlanResource, deleted: PlanResource[]): boolean {
    const vnetOf = (l: PlanResource) => String((l.inputs.virtualNetwork as { id?: unknown } | undefined)?.id ?? "").toLowerCase();
    return (
        r.type === "azure-native:privatedns:VirtualNetworkLink" &&
        deleted.some((d) => d.type === r.type && d.inputs.privateZoneName === r.inputs.privateZoneName && vnetOf(d) === vnetOf(r))
    );
}

/**
 * @param today the day model retirements are counted from (tests fix it).
 */
export function diffPlans(before: Plan, after: Plan, today: Date = new Date()): Change[] {
    const pairing = pairResources(before, after);
    const changes: Change[] = [];
    const add = (severity: Severity, kind: ChangeKind, r: PlanResource, path: string | null, b: unknown, a: unknown, message: string) =>
        changes.push({ severity, kind, type: r.type, resource: r.name, path, before: b, after: a, message });

    for (const { before: b, after: a } of pairing.movedWithoutAlias) {
        add("danger", "replace", a, "parent", b.parent, a.parent, "moved to another parent without an alias: Pulumi sees a new resource, creates it and deletes the old one in Azure; add `aliases` with its old parent");
    }
    for (const { before: b, after: a, moved } of pairing.same) {
        if (moved && isComponent(a)) add("info", "moved", a, "parent", b.parent, a.parent, `moved under ${a.parent ?? "the stack"} with an alias: it and everything in it keep their identity, nothing changes in Azure`);
    }
    for (const r of pairing.deleted.filter((r) => !isComponent(r))) {
        if (r.type === "azure-native:monitor:DiagnosticSetting") add("danger", "diagnostics-removed", r, null, r.inputs.name, undefined, "diagnostic setting removed: the account's logs and metrics stop flowing");
        else if (r.type === "azure-native:authorization:ManagementLockByScope") add("danger", "protection-removed", r, null, r.inputs.lockName, undefined, "delete lock removed: the account and its deployments can be deleted");
        else if (r.type === "azure-native:authorization:RoleAssignment") add("danger", "role", r, null, r.inputs.principalId, undefined, `access removed: ${r.inputs.principalId} loses ${roleGuid(r.inputs.roleDefinitionId)}`);
        else if (Monitoring[r.type]) add("danger", "monitoring-removed", r, null, undefined, undefined, `${Monitoring[r.type]} removed: nobody is told any more`);
        else if (r.type === "azure-native:network:PrivateEndpoint") add("danger", "network-exposure", r, null, r.inputs.privateEndpointName, undefined, "private endpoint removed: callers inside the network lose their private path");
        else if (r.type === "azure-native:cognitiveservices:RaiBlocklistItem") add("warning", "content-filter", r, null, (r.inputs.properties as { pattern?: unknown } | undefined)?.pattern, undefined, "blocklist term removed: it is no longer blocked");
        else if (Failover[r.type]) add("danger", "delete", r, null, undefined, undefined, Failover[r.type]);
        else if (KeyMaterial.includes(r.type)) add("danger", "encryption", r, null, undefined, undefined, `${r.type.split(":").pop()} removed: an account encrypted with it cannot read its data any more`);
        else add("danger", "delete", r, null, undefined, undefined, `${r.type.split(":").pop()} deleted`);
    }
    for (const r of pairing.created.filter((r) => !isComponent(r))) {
        if (r.type === "azure-native:authorization:RoleAssignment") add("warning", "role", r, null, undefined, r.inputs.principalId, `access granted: ${r.inputs.principalId} (${r.inputs.principalType}) gets ${roleGuid(r.inputs.roleDefinitionId)}`);
        else if (linkCollides(r, pairing.deleted)) add("danger", "replace", r, null, undefined, r.inputs.privateZoneName, LinkCollision);
        else add("info", "create", r, null, undefined, undefined, `${r.type.split(":").pop()} created`);
    }
    for (const { before: b, after: a } of pairing.same.filter((p) => !isComponent(p.after))) {
        if (b.protect && !a.protect) add("danger", "protection-removed", a, "protect", true, false, "Pulumi protect removed: `pulumi destroy` can delete it");
        const replacePaths = [...ReplaceOnChange["*"], ...(ReplaceOnChange[a.type] ?? [])];
        const bf = new Map(flatten(b.inputs));
        const af = new Map(flatten(a.inputs));
        const paths = [...new Set([...bf.keys(), ...af.keys()])].sort();
        const handled = new Set<string>();
        for (const path of paths) {
            const [bv, av] = [bf.get(path), af.get(path)];
            if (JSON.stringify(bv) === JSON.stringify(av)) continue;
            const replaced = replacePaths.find((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
            if (replaced) {
                add("danger", "replace", a, path, bv, av, `replaced (${show(bv)} -> ${show(av)}): ${ReplaceWhy[replaced] ?? "Azure cannot change this in place"}`);
            } else if (a.type === "azure-native:cognitiveservices:Account" && path === "kind") {
                add(bv === "OpenAI" && av === "AIServices" ? "warning" : "danger", "kind", a, path, bv, av, kindMessage(bv, av, a));
            } else if (a.type === "azure-native:apimanagement:Backend" && path.startsWith("pool.services")) {
                if (handled.has("pool.services")) continue;
                handled.add("pool.services");
                const [bp, ap] = [subtree(b.inputs, "pool.services"), subtree(a.inputs, "pool.services")];
                // A region leaves when the pool holds fewer backends; renamed backends (a new name prefix) are not one leaving.
                const count = (p: string[]) => p.filter((x) => /\.id=/.test(x)).length;
                const lost = count(ap) < count(bp);
                const priorities = (p: string[]) => p.filter((x) => /\.priority=/.test(x)).map((x) => x.split("=")[1]).join(",");
                const message = lost
                    ? `${count(bp) - count(ap)} region(s) left the gateway's pool: fewer places to fail over to`
                    : priorities(bp) !== priorities(ap)
                      ? "the gateway's pool changed its priorities: check which region is tried first"
                      : "the pool's backends are renamed (the same regions, priorities and weights)";
                add(lost ? "danger" : priorities(bp) !== priorities(ap) ? "warning" : "info", lost ? "delete" : "update", a, "pool.services", bp, ap, message);
            } else if (a.type === "azure-native:cognitiveservices:Deployment" && path === "properties.model.version") {
                const model = String((a.inputs.properties as { model?: { name?: unknown } }).model?.name);
                const sku = String((a.inputs.sku as { name?: unknown } | undefined)?.name ?? "");
                const [was, now] = [lifecycleOf(model, String(bv), today, sku), lifecycleOf(model, String(av), today, sku)];
                const date = (l: Lifecycle) => (l.kind === "unknown" ? "retirement unknown offline" : `retires ${l.retirement}`);
                const bad = now.kind === "retired" || now.kind === "retiring";
                add(bad ? "danger" : "warning", "update", a, path, bv, av, `model version ${show(bv)} (${date(was)}) -> ${show(av)} (${date(now)})${bad ? `: ${now.kind === "retired" ? "already retired" : "retiring within the warning window"}, pick a current version` : ": callers get another model's behaviour"}`);
            } else if (path === "sku.capacity") {
                const down = typeof bv === "number" && typeof av === "number" && av < bv;
                add("warning", "capacity", a, path, bv, av, down ? `capacity reduced ${bv} -> ${av}: less throughput, more 429s` : `capacity ${show(bv)} -> ${show(av)}: check the quota`);
            } else if (path === "sku.name") {
                add("warning", "sku", a, path, bv, av, `SKU ${show(bv)} -> ${show(av)}: changes where requests are processed and how they are billed`);
            } else if (a.type === "azure-native:cognitiveservices:Account" && path.startsWith("properties.encryption")) {
                if (handled.has("properties.encryption")) continue;
                handled.add("properties.encryption");
                const [be, ae] = [subtree(b.inputs, "properties.encryption"), subtree(a.inputs, "properties.encryption")];
                add("danger", "encryption", a, "properties.encryption", be, ae, ae.length === 0 ? "customer-managed key removed: the account goes back to Microsoft-managed keys" : "the account's encryption key changes: keep the old key until Azure has re-wrapped the data with the new one");
            } else if (a.type === "azure-native:cognitiveservices:RaiPolicy" && /^properties\.contentFilters\[\d+\]\.(enabled|blocking|severityThreshold)$/.test(path)) {
                const weaker = av === false || (typeof bv === "string" && typeof av === "string" && ["Low", "Medium", "High"].indexOf(av) > ["Low", "Medium", "High"].indexOf(bv));
                add(weaker ? "warning" : "info", "content-filter", a, path, bv, av, weaker ? `content filter loosened (${show(bv)} -> ${show(av)}): more harmful content gets through` : `content filter tightened (${show(bv)} -> ${show(av)})`);
            } else if (a.type === "azure-native:consumption:Budget" && path === "timePeriod.startDate") {
                add("info", "update", a, path, bv, av, "no change in Azure: a budget keeps the start it was created with (the program ignores later values)");
            } else if (a.type === "azure-native:apimanagement:ApiManagementService" && (path === "virtualNetworkType" || path.startsWith("virtualNetworkConfiguration"))) {
                if (handled.has("gateway-network")) continue;
                handled.add("gateway-network");
                const [bn, an] = [subtree(b.inputs, "virtualNetworkConfiguration"), subtree(a.inputs, "virtualNetworkConfiguration")];
                add("danger", "network-exposure", a, "virtualNetworkConfiguration", bn, an, an.length === 0 ? "the gateway leaves its network: it can no longer reach private accounts" : "the gateway's outbound subnet changes: check it still reaches every account (Who can reach what)");
            } else if (a.type === "azure-native:apimanagement:ApiManagementService" && path === "publicNetworkAccess") {
                add(av === "Enabled" ? "danger" : "info", "network-exposure", a, path, bv, av, av === "Enabled" ? "the gateway answers the internet again" : "the gateway is closed to the internet");
            } else if (path === "properties.disableLocalAuth" && bv === true && av !== true) {
                add("danger", "local-auth", a, path, bv, av, "API keys turned on: anyone holding a key can call the account");
            } else if (path === "properties.publicNetworkAccess") {
                add(av === "Enabled" ? "danger" : "info", "network-exposure", a, path, bv, av, av === "Enabled" ? "public network access enabled" : "public network access disabled");
            } else if (path === "properties.networkAcls.defaultAction") {
                add(av === "Allow" ? "danger" : "info", "network-exposure", a, path, bv, av, av === "Allow" ? "firewall now allows every public caller" : "firewall now denies by default");
            } else if (path === "properties.networkAcls.bypass") {
                add(av === "AzureServices" ? "warning" : "info", "network-exposure", a, path, bv, av, `trusted Azure services bypass ${show(bv)} -> ${show(av)}`);
            } else if (/^properties\.networkAcls\.(ipRules|virtualNetworkRules)/.test(path)) {
                const list = path.startsWith("properties.networkAcls.ipRules") ? "properties.networkAcls.ipRules" : "properties.networkAcls.virtualNetworkRules";
                if (handled.has(list)) continue;
                handled.add(list);
                const [bl, al] = [subtree(b.inputs, list), subtree(a.inputs, list)];
                const added = al.filter((x) => !bl.includes(x) && !x.endsWith("=[]"));
                add(added.length ? "danger" : "info", "network-exposure", a, list, bl, al, added.length ? `more callers allowed through the firewall (${list.split(".").pop()})` : `fewer callers allowed through the firewall (${list.split(".").pop()})`);
            } else if (a.type === "azure-native:monitor:DiagnosticSetting" && /^(logs|metrics)/.test(path)) {
                const list = path.startsWith("logs") ? "logs" : "metrics";
                if (handled.has(list)) continue;
                handled.add(list);
                add("danger", "diagnostics-removed", a, list, subtree(b.inputs, list), subtree(a.inputs, list), `diagnostic ${list} changed: check allLogs / AllMetrics are still collected`);
            } else {
                add("info", "update", a, path, bv, av, `${show(bv)} -> ${show(av)}`);
            }
        }
    }
    return changes.sort(
        (x, y) =>
            SeverityOrder.indexOf(x.severity) - SeverityOrder.indexOf(y.severity) ||
            KindOrder.indexOf(x.kind) - KindOrder.indexOf(y.kind) ||
            x.resource.localeCompare(y.resource) ||
            (x.path ?? "").localeCompare(y.path ?? ""),
    );
}

/**
 * An account's kind: OpenAI -> AIServices is Microsoft's upgrade, made in place (endpoint, keys and
 * identity kept); AIServices -> OpenAI is its roll back, which the program refuses to make on a live
 * account (infra/foundry/liveKinds.ts); anything else Azure refuses (UpdateKindNotAllowed).
 */
function kindMessage(bv: unknown, av: unknown, a: PlanResource): string {
    if (bv === "OpenAI" && av === "AIServices") {
        const cmk = (a.inputs.properties as { encryption?: unknown } | undefined)?.encryption !== undefined;
        return `upgraded in place to a Foundry resource: endpoint, keys, identity and deployments stay; the Foundry DNS zones are added in the same run${cmk ? "; but Microsoft does not support the upgrade of an account a customer-managed key encrypts: if Azure has this one encrypted, the program stops (preflight: upgrade-unsupported)" : ""}`;
    }
    if (bv === "AIServices" && av === "OpenAI") {
        return "rolled back from a Foundry resource to Azure OpenAI: projects and agents on it stop working; the program refuses while Azure has it as AIServices, so roll it back in Azure first (docs/foundry.md, the roll back)";
    }
    return `kind ${show(bv)} -> ${show(av)}: Azure changes a kind only between OpenAI and AIServices (UpdateKindNotAllowed)`;
}

function roleGuid(roleDefinitionId: unknown): string {
    return `role ${String(roleDefinitionId ?? "").split("/").pop()}`;
}

/** Resource types by how directly callers depend on them, first first. */
const TypeOrder = ["Account", "Deployment", "ApiManagementService", "Backend", "PrivateEndpoint", "PrivateDnsZoneGroup", "VirtualNetwork", "Subnet", "RaiPolicy", "Project", "Vault", "Key"];

/** A resource's changes under one line: its worst severity, what happens to it, and a rename when its Azure name changes. */
function resourceLine(group: Change[]): string {
    const [worst] = group;
    // A role assignment's name is a hash of what it grants: its change says nothing a scope change does not.
    const rename = group.find((c) => c.kind === "replace" && c.path !== null && /^[a-zA-Z]*Name$/.test(c.path) && !["resourceGroupName", "roleAssignmentName"].includes(c.path) && typeof c.before === "string" && typeof c.after === "string");
    const head = `${worst.severity.toUpperCase().padEnd(8)} ${worst.kind.padEnd(20)} ${worst.resource} (${worst.type.split(":").pop()})`;
    if (group.length === 1) return `${head}${worst.path ? `  ${worst.path}` : ""}: ${worst.message}`;
    return `${head}: ${rename ? `renamed ${rename.before} -> ${rename.after} (Azure creates the new one and deletes the old)` : `${group.length} changes`}`;
}

/** The readable diff: what callers see (consequences.ts), then each resource once, its changes beneath it. */
export function formatChanges(changes: Change[], label: string, consequences: Consequence[] = []): string {
    const lines = [`Plan diff ${label}`];
    lines.push("What callers see:");
    if (consequences.length === 0) lines.push("  nothing a caller sees changes");
    for (const c of consequences) lines.push(`  ${c.severity.toUpperCase().padEnd(8)} ${c.what}`);
    // Changes come sorted most dangerous first: a resource's place is that of its first, then what
    // callers depend on most (accounts and deployments, the gateway, the network) before the rest.
    const byResource = new Map<string, Change[]>();
    for (const c of changes) byResource.set(c.resource, [...(byResource.get(c.resource) ?? []), c]);
    const weight = (g: Change[]) => {
        const at = TypeOrder.findIndex((t) => g[0].type.endsWith(`:${t}`));
        return at < 0 ? TypeOrder.length : at;
    };
    const groups = [...byResource.values()].sort(
        (x, y) => SeverityOrder.indexOf(x[0].severity) - SeverityOrder.indexOf(y[0].severity) || weight(x) - weight(y) || KindOrder.indexOf(x[0].kind) - KindOrder.indexOf(y[0].kind) || x[0].resource.localeCompare(y[0].resource),
    );
    if (byResource.size > 0) lines.push("By resource, most dangerous first:");
    for (const group of groups) {
        lines.push(resourceLine(group));
        if (group.length === 1) continue;
        for (const c of group) lines.push(`      ${c.severity.toUpperCase().padEnd(8)} ${c.path ?? c.kind}: ${c.message}`);
    }
    const count = (s: Severity) => changes.filter((c) => c.severity === s).length;
    lines.push(changes.length === 0 ? "No changes." : `${changes.length} change(s) on ${byResource.size} resource(s): ${count("danger")} dangerous, ${count("warning")} to check, ${count("info")} informational`);
    return lines.join("\n") + "\n";
}
