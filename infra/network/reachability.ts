/**
 * Who can reach each endpoint of an environment, and how: computed from what the stack declares (the
 * offline plan's inputs, or the resources the policy pack sees), never from names alone. A path is
 * `open` when what the stack declares lets the traffic through, `closed` when it does not (with why),
 * and `outside` when it depends on something the stack does not own (a hub's DNS zone, an existing
 * event hub's firewall) and says what that must do.
 *
 * Paths: the internet and each private network to every account and gateway; each gateway to every
 * account it fronts; each account to its Key Vault; each diagnostic setting to its destinations.
 */
import { FoundryPrivateDnsZones, GatewayPrivateDnsZone, OpenAiPrivateDnsZone, vnetIdOfSubnet } from "../core/naming";
import { DeclaredResource, PathState, ReachPath, T, connectsTo, hostOf, lastSegment, list, lower, nameOf, obj, str, vnetOf } from "./declared";
import { RunnerNetwork, runnerPaths } from "./runnerPaths";

export type { DeclaredResource, PathState, ReachPath, RunnerNetwork };

class Environment {
    constructor(private readonly resources: DeclaredResource[]) {}

    of(type: string): DeclaredResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /**
     * Whether a private endpoint's address resolves in a network: its zone group names the zone, and
     * the zone is linked to that network (a zone the stack creates), or the zone is a hub's.
     */
    dnsFor(pe: DeclaredResource, zoneName: string, vnetId: string): { state: PathState; how: string } {
        const peName = nameOf(pe, "privateEndpointName");
        const group = this.of(T.zoneGroup).find((g) => str(g.props.privateEndpointName) === peName);
        const zoneId = group && list(group.props.privateDnsZoneConfigs).map((c) => str(c.privateDnsZoneId)).find((id) => lower(id).endsWith(`/${zoneName}`));
        if (!zoneId) return { state: "closed", how: `no ${zoneName} record for ${peName}: its name would resolve to the public address` };
        // A zone the stack declares is linked by the stack; one given by id is a hub's, which the stack may link to its own network.
        const ownZone = this.of(T.zone).some((z) => nameOf(z, "privateZoneName") === zoneName);
        const linked = this.of(T.zoneLink).some((l) => str(l.props.privateZoneName) === zoneName && lower(str(obj(l.props.virtualNetwork).id)) === lower(vnetId));
        if (linked) return { state: "open", how: `private DNS ${zoneName}${ownZone ? "" : " (the hub's)"} linked to ${lastSegment(vnetId)}` };
        return ownZone ? { state: "closed", how: `${zoneName} is not linked to ${lastSegment(vnetId)}` } : { state: "outside", how: `the hub's ${zoneName} zone must be linked to ${lastSegment(vnetId)}` };
    }
}

/** Combines two steps of one path: closed wins, then outside. */
function both(a: { state: PathState; how: string }, b: { state: PathState; how: string }): { state: PathState; how: string } {
    const state: PathState = a.state === "closed" || b.state === "closed" ? "closed" : a.state === "outside" || b.state === "outside" ? "outside" : "open";
    const how = state === "closed" ? [a, b].filter((s) => s.state === "closed").map((s) => s.how).join("; ") : `${a.how}; ${b.how}`;
    return { state, how };
}

/** The internet to an account, through its public network access and firewall. */
function publicAccess(account: DeclaredResource): { state: PathState; how: string; anyAddress: boolean } {
    const p = obj(account.props.properties);
    if (p.publicNetworkAccess === "Disabled") return { state: "closed", how: "public network access disabled", anyAddress: false };
    const acls = obj(p.networkAcls);
    if (acls.defaultAction !== "Deny") return { state: "open", how: "public endpoint, firewall allows any address", anyAddress: true };
    const ips = list(acls.ipRules).map((r) => str(r.value)).filter((v): v is string => v !== undefined);
    const vnets = list(acls.virtualNetworkRules).length;
    if (ips.length === 0 && vnets === 0) return { state: "closed", how: "firewall denies every address", anyAddress: false };
    const parts = [ips.length ? `addresses ${ips.join(", ")}` : "", vnets ? `${vnets} subnet rule(s)` : ""].filter(Boolean);
    return { state: "open", how: `public endpoint, firewall allows only ${parts.join(" and ")}`, anyAddress: false };
}

/**
 * Every path of an environment, in a stable order: accounts, then gateways, keys and diagnostics;
 * with the hub's tools network (`runner`, from the stack's `hub` output), last the runner's path to
 * every account and gateway.
 */
export function reachability(resources: DeclaredResource[], runner?: RunnerNetwork): ReachPath[] {
    const env = new Environment(resources);
    const paths: ReachPath[] = [];
    const accounts = env.of(T.account);
    const endpoints = env.of(T.privateEndpoint);
    const gateways = env.of(T.gateway);

    /** Private networks to an account: one path per network that holds an endpoint to it, resolving each of `zones`. */
    const privatePaths = (account: DeclaredResource, zones: readonly string[]) => {
        const name = nameOf(account, "accountName");
        return endpoints
            .filter((pe) => connectsTo(pe, `/providers/Microsoft.CognitiveServices/accounts/${name}`, "account"))
            .map((pe) => {
                const vnet = vnetOf(pe) ?? "";
                const dns = zones.map((zone) => env.dnsFor(pe, zone, vnet));
                // Zones all linked read as one step; otherwise each says what it lacks.
                const resolved = dns.every((d) => d.state === "open") ? { state: "open" as const, how: `private DNS ${zones.join(", ")} linked to ${lastSegment(vnet)}` } : dns.reduce(both);
                return { vnet, ...both({ state: "open", how: `private endpoint ${nameOf(pe, "privateEndpointName")}` }, resolved) };
            });
    };

    for (const account of accounts) {
        const to = `account ${nameOf(account, "accountName")}`;
        const pub = publicAccess(account);
        paths.push({ from: "internet", to, state: pub.state, how: pub.how, ...(pub.state === "open" ? { anyAddress: pub.anyAddress } : {}) });
        // A Foundry resource's callers resolve its Azure OpenAI, Cognitive Services and Foundry hosts.
        const zones = account.props.kind === "AIServices" ? FoundryPrivateDnsZones : [OpenAiPrivateDnsZone];
        for (const p of privatePaths(account, zones)) paths.push({ from: `network ${lastSegment(p.vnet)}`, to, state: p.state, how: p.how });
    }

    for (const gateway of gateways) {
        const service = nameOf(gateway, "serviceName");
        const g = `gateway ${service}`;
        const internal = gateway.props.virtualNetworkType === "Internal";
        const open = gateway.props.publicNetworkAccess !== "Disabled" && !internal;
        paths.push({ from: "internet", to: g, state: open ? "open" : "closed", how: open ? "public gateway endpoint, any address" : "public network access disabled", ...(open ? { anyAddress: true } : {}) });
        for (const pe of endpoints.filter((e) => connectsTo(e, `/providers/Microsoft.ApiManagement/service/${service}`, "Gateway"))) {
            const vnet = vnetOf(pe) ?? "";
            const p = both({ state: "open", how: `private endpoint ${nameOf(pe, "privateEndpointName")}` }, env.dnsFor(pe, GatewayPrivateDnsZone, vnet));
            paths.push({ from: `network ${lastSegment(vnet)}`, to: g, state: p.state, how: p.how });
        }
        const subnet = str(obj(gateway.props.virtualNetworkConfiguration).subnetResourceId);
        const integrated = subnet !== undefined && (gateway.props.virtualNetworkType === "External" || internal);
        const gatewayVnet = integrated ? vnetIdOfSubnet(subnet) : undefined;
        const backends = env.of(T.backend).filter((b) => str(b.props.serviceName) === service && hostOf(str(b.props.url)) !== undefined);
        for (const backend of backends) {
            const host = hostOf(str(backend.props.url))!;
            const account = accounts.find((a) => `${lower(str(obj(a.props.properties).customSubDomainName))}.openai.azure.com` === host);
            if (!account) {
                paths.push({ from: g, to: host, state: "outside", how: "a backend this stack does not declare" });
                continue;
            }
            const to = `account ${nameOf(account, "accountName")}`;
            const viaNetwork = gatewayVnet ? privatePaths(account, [OpenAiPrivateDnsZone]).find((p) => lower(p.vnet) === lower(gatewayVnet)) : undefined;
            const pub = publicAccess(account);
            if (viaNetwork && viaNetwork.state !== "closed") {
                paths.push({ from: g, to, state: viaNetwork.state, how: `from subnet ${lastSegment(subnet)} (outbound integration); ${viaNetwork.how}` });
            } else if (pub.state === "open" && pub.anyAddress) {
                paths.push({ from: g, to, state: "open", how: "over the account's public endpoint" });
            } else {
                const why = [
                    gatewayVnet ? (viaNetwork ? viaNetwork.how : `no private endpoint to the account in ${lastSegment(gatewayVnet)}`) : "the gateway has no virtual network",
                    pub.state === "open" ? "its firewall does not list the gateway's public address" : `its ${pub.how}`,
                ];
                paths.push({ from: g, to, state: "closed", how: why.join("; ") });
            }
        }
    }

    for (const account of accounts) {
        const vaultHost = hostOf(str(obj(obj(obj(account.props.properties).encryption).keyVaultProperties).keyVaultUri));
        if (!vaultHost) continue;
        const vaultName = vaultHost.split(".")[0];
        const vault = env.of(T.vault).find((v) => nameOf(v, "vaultName") === vaultName);
        const from = `account ${nameOf(account, "accountName")}`;
        if (!vault) {
            paths.push({ from, to: `key vault ${vaultName}`, state: "outside", how: "an existing vault: its firewall must allow trusted Azure services or the account" });
            continue;
        }
        const p = obj(vault.props.properties);
        const acls = obj(p.networkAcls);
        const state: PathState = p.publicNetworkAccess === "Disabled" ? "closed" : acls.defaultAction !== "Deny" || acls.bypass === "AzureServices" ? "open" : "closed";
        const how =
            p.publicNetworkAccess === "Disabled" ? "the vault's public network access is disabled, trusted services included"
            : acls.defaultAction !== "Deny" ? "the vault's firewall allows every network (RBAC still applies)"
            : acls.bypass === "AzureServices" ? "as a trusted Azure service through the vault's firewall"
            : "the vault's firewall denies every network and no trusted service";
        paths.push({ from, to: `key vault ${vaultName}`, state, how });
    }

    for (const setting of env.of(T.diagnostics)) {
        const source = str(setting.props.resourceUri) ?? "";
        const kind = /\/Microsoft\.ApiManagement\/service\//i.test(source) ? "gateway" : /\/Microsoft\.KeyVault\/vaults\//i.test(source) ? "key vault" : "account";
        const from = `${kind} ${lastSegment(source) ?? "?"}`;
        const workspace = str(setting.props.workspaceId);
        if (workspace) paths.push({ from, to: `workspace ${lastSegment(workspace)}`, state: "open", how: "Azure Monitor diagnostic setting (platform path)" });
        const hub = str(setting.props.eventHubAuthorizationRuleId);
        if (hub) paths.push({ from, to: `event hub ${str(setting.props.eventHubName) ?? hub.split("/")[8] ?? "?"}`, state: "outside", how: "an existing namespace: its firewall must allow trusted Microsoft services" });
        const storage = str(setting.props.storageAccountId);
        if (storage) paths.push({ from, to: `storage ${lastSegment(storage)}`, state: "outside", how: "an existing account: its firewall must allow trusted Microsoft services" });
    }
    if (runner) paths.push(...runnerPaths(resources, runner));
    return paths;
}

/** One line a path, for the readable plan: `open    internet -> account x: how`. */
export function formatPath(p: ReachPath): string {
    return `${p.state.padEnd(7)} ${p.from} -> ${p.to}: ${p.how}`;
}
