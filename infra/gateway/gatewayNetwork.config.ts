/**
 * Where the gateway's calls to the accounts leave from (`gateway.subnetAddressPrefix` or
 * `gateway.subnetId`), checked against what the accounts accept: a gateway that could not reach its
 * accounts is refused here, naming the keys and the fix.
 */
import { Json, Reader, show } from "../core/configReader";
import { cidrContains, cidrsOverlap, parseCidr } from "../core/ipRanges";
import { vnetIdOfSubnet } from "../core/naming";
import { checkResourceId } from "../core/validators";
import type { PrivateEndpointConfig } from "../network/privateNetwork.config";
import { GatewayNetwork, GatewaySku, GatewayTargets, OutboundIntegrationSkus, SmallestGatewaySubnet } from "./gateway.config";

export function readNetwork(r: Reader, g: Record<string, Json>, sku: GatewaySku | undefined, targets: GatewayTargets): GatewayNetwork | undefined {
    const pe = targets.privateEndpoint;
    if (g.subnetAddressPrefix !== undefined && g.subnetId !== undefined) {
        r.report("gateway", "sets both subnetAddressPrefix and subnetId; let the stack create the gateway's subnet or name an existing one, not both");
        return undefined;
    }
    let network: GatewayNetwork | undefined = { kind: "none" };
    if (g.subnetAddressPrefix !== undefined) {
        network = readCreatedSubnet(r, g.subnetAddressPrefix, pe);
    } else if (g.subnetId !== undefined) {
        network = readExistingSubnet(r, g.subnetId, pe);
    }
    if (!network) return undefined;
    if (network.kind !== "none" && sku && !OutboundIntegrationSkus.includes(sku)) {
        r.report("gateway.sku", `${sku} cannot call into a virtual network beside its private endpoint; use ${OutboundIntegrationSkus.join(" or ")} (outbound virtual network integration)`);
        return undefined;
    }
    if (network.kind === "none" && !targets.accountsOpenToInternet) {
        const fix = pe
            ? `set gateway.subnetAddressPrefix (a /27 inside privateEndpoint.vnetAddressSpace) or gateway.subnetId (a subnet delegated to Microsoft.Web/serverFarms in the endpoints' network)${sku && !OutboundIntegrationSkus.includes(sku) ? `, with gateway.sku ${OutboundIntegrationSkus.join(" or ")}` : ""}`
            : "give the accounts a private endpoint (aoai:privateEndpoint) and the gateway a subnet in its network (gateway.subnetAddressPrefix)";
        r.report("gateway", `cannot reach its accounts: they do not accept calls from any public address (aoai:network), and the gateway has no virtual network; ${fix}`);
        return undefined;
    }
    return network;
}

function readCreatedSubnet(r: Reader, value: Json, pe: PrivateEndpointConfig | undefined): GatewayNetwork | undefined {
    const path = "gateway.subnetAddressPrefix";
    if (pe?.subnet.kind !== "create") {
        r.report(path, pe ? "needs the network the stack creates (privateEndpoint.vnetAddressSpace); with privateEndpoint.subnetId give gateway.subnetId, an existing subnet in that network" : "needs aoai:privateEndpoint with vnetAddressSpace: the gateway's subnet goes into the network the private endpoints are in");
        return undefined;
    }
    const prefix = r.checked(path, value, (text) => {
        const parsed = parseCidr(text);
        return typeof parsed === "string" ? parsed : undefined;
    });
    if (!prefix) return undefined;
    const [space, own, endpoints] = [parseCidr(pe.subnet.vnetAddressSpace), parseCidr(prefix), parseCidr(pe.subnet.subnetAddressPrefix)];
    if (typeof space === "string" || typeof own === "string" || typeof endpoints === "string") return undefined;
    if (!cidrContains(space, own)) {
        r.report(path, `${show(prefix)} lies outside privateEndpoint.vnetAddressSpace ${pe.subnet.vnetAddressSpace}; choose a block inside it`);
    } else if (cidrsOverlap(own, endpoints)) {
        r.report(path, `${show(prefix)} overlaps privateEndpoint.subnetAddressPrefix ${pe.subnet.subnetAddressPrefix}; the gateway's subnet is dedicated to it, choose another block`);
    } else if (own.prefixLength > SmallestGatewaySubnet) {
        r.report(path, `${show(prefix)} is too small; outbound integration needs a /${SmallestGatewaySubnet} at least (Microsoft recommends a /27)`);
    } else {
        return { kind: "create", subnetAddressPrefix: prefix };
    }
    return undefined;
}

function readExistingSubnet(r: Reader, value: Json, pe: PrivateEndpointConfig | undefined): GatewayNetwork | undefined {
    const path = "gateway.subnetId";
    const subnetId = r.checked(path, value, (id) => checkResourceId(id, "subnet"));
    if (!subnetId) return undefined;
    if (pe?.subnet.kind !== "existing") {
        r.report(path, pe ? "is an existing subnet, but the stack creates the private endpoints' network; use gateway.subnetAddressPrefix so the gateway joins that network" : "needs aoai:privateEndpoint: the gateway reaches private accounts through their endpoints' network");
        return undefined;
    }
    if (subnetId.toLowerCase() === pe.subnet.subnetId.toLowerCase()) {
        r.report(path, "is the private endpoints' subnet; outbound integration needs a subnet of its own, delegated to Microsoft.Web/serverFarms");
        return undefined;
    }
    if (vnetIdOfSubnet(subnetId).toLowerCase() !== vnetIdOfSubnet(pe.subnet.subnetId).toLowerCase()) {
        r.report(path, `is in another network than privateEndpoint.subnetId (${vnetIdOfSubnet(pe.subnet.subnetId)}); the stack can confirm a path only within one network, so put the gateway's subnet there`);
        return undefined;
    }
    return { kind: "existing", subnetId };
}
