/**
 * The deploy runner's path into an environment that joins a hub: from the hub's tools network to each
 * private endpoint of the stack (every account's and the gateway's). It is open when the two networks
 * are peered both ways and every name the endpoint answers to is registered in a zone the hub links
 * to its own network; the probe then reaches the endpoint right after `pulumi up`.
 */
import { FoundryPrivateDnsZones, GatewayPrivateDnsZone, OpenAiPrivateDnsZone } from "../core/naming";
import { DeclaredResource, PathState, ReachPath, T, connectsTo, lastSegment, list, lower, nameOf, obj, str, vnetOf } from "./declared";

/** The hub's tools network as the spoke's `hub` output reports it. */
export interface RunnerNetwork {
    virtualNetworkId: string;
    runnerSubnetId: string;
    /** The shared zones the hub links to its network, by id. */
    dnsZoneIds: readonly string[];
}

interface Step {
    state: PathState;
    how: string;
}

/** Peering is a pair: each network's side must allow the other in. */
function peering(resources: DeclaredResource[], from: string, to: string): Step {
    const side = (local: string, remote: string) =>
        resources.some(
            (r) => r.type === T.peering && lower(str(r.props.virtualNetworkName)) === lower(lastSegment(local)) && lower(str(obj(r.props.remoteVirtualNetwork).id)) === lower(remote) && r.props.allowVirtualNetworkAccess !== false,
        );
    const [hub, spoke] = [lastSegment(from), lastSegment(to)];
    if (!side(to, from)) return { state: "closed", how: `${spoke} is not peered with ${hub}` };
    if (!side(from, to)) return { state: "outside", how: `${spoke} peers with ${hub}; the hub's owner must peer ${hub} back to ${spoke}` };
    return { state: "open", how: `peered with ${hub} both ways` };
}

/** Each name the endpoint answers to must be in a zone the hub links to the runner's network. */
function resolution(resources: DeclaredResource[], pe: DeclaredResource, zones: readonly string[], runner: RunnerNetwork): Step {
    const peName = nameOf(pe, "privateEndpointName");
    const group = resources.find((r) => r.type === T.zoneGroup && str(r.props.privateEndpointName) === peName);
    const registered = group ? list(group.props.privateDnsZoneConfigs).map((c) => lower(str(c.privateDnsZoneId))) : [];
    const hubZones = runner.dnsZoneIds.map(lower);
    const missing = zones.filter((zone) => !registered.some((id) => id.endsWith(`/${zone}`) && hubZones.includes(id)));
    if (missing.length === 0) return { state: "open", how: `the hub's ${zones.join(", ")} linked to ${lastSegment(runner.virtualNetworkId)}` };
    return { state: "closed", how: `${peName} is not registered in the hub's ${missing.join(", ")}: the runner would resolve the public address` };
}

export function runnerPaths(resources: DeclaredResource[], runner: RunnerNetwork): ReachPath[] {
    const from = `runner ${lastSegment(runner.runnerSubnetId)} in ${lastSegment(runner.virtualNetworkId)}`;
    const targets: { to: string; pe: DeclaredResource; zones: readonly string[] }[] = [];
    const endpoints = resources.filter((r) => r.type === T.privateEndpoint);
    for (const account of resources.filter((r) => r.type === T.account)) {
        const name = nameOf(account, "accountName");
        const zones = account.props.kind === "AIServices" ? FoundryPrivateDnsZones : [OpenAiPrivateDnsZone];
        for (const pe of endpoints.filter((e) => connectsTo(e, `/providers/Microsoft.CognitiveServices/accounts/${name}`, "account"))) targets.push({ to: `account ${name}`, pe, zones });
    }
    for (const gateway of resources.filter((r) => r.type === T.gateway)) {
        const name = nameOf(gateway, "serviceName");
        for (const pe of endpoints.filter((e) => connectsTo(e, `/providers/Microsoft.ApiManagement/service/${name}`, "Gateway"))) targets.push({ to: `gateway ${name}`, pe, zones: [GatewayPrivateDnsZone] });
    }
    return targets.map(({ to, pe, zones }) => {
        const vnet = vnetOf(pe) ?? "";
        const steps: Step[] = [
            lower(vnet) === lower(runner.virtualNetworkId) ? { state: "open", how: `in ${lastSegment(vnet)} itself` } : peering(resources, runner.virtualNetworkId, vnet),
            { state: "open", how: `private endpoint ${nameOf(pe, "privateEndpointName")}` },
            resolution(resources, pe, zones, runner),
        ];
        const state: PathState = steps.some((s) => s.state === "closed") ? "closed" : steps.some((s) => s.state === "outside") ? "outside" : "open";
        const how = (state === "open" ? steps : steps.filter((s) => s.state === state)).map((s) => s.how).join("; ");
        return { from, to, state, how };
    });
}
