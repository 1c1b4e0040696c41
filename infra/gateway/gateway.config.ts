/**
 * The gateway section: an API Management gateway in front of every region's account, failing over by
 * priority when a region throttles or fails. Key `gateway` (`sku`, `capacity`, `publisherEmail`,
 * `publisherName`, `audience`, `clientId`, `roles`, `subscriptionKeys`, `retries`,
 * `tripDurationSeconds`, `publicNetworkAccess`, `subnetAddressPrefix` or `subnetId`, `dnsZoneId`).
 *
 * The gateway must have a network path to every account it fronts. An account that is not open to
 * any public address (public access off, or a firewall of listed addresses the gateway's egress is
 * not among) is reached only through its private endpoint, so the gateway joins the endpoints'
 * network with outbound virtual network integration: Standard v2 and Premium v2 only, in a subnet of
 * its own delegated to Microsoft.Web/serverFarms. Classic injection (Developer, Premium) cannot be
 * combined with the inbound private endpoint this stack gives the gateway, and Basic/Standard have
 * no network integration at all, so those tiers are refused in front of private accounts.
 */
import { ConfigSection, Json, Reader, isEmptyMapping, show } from "../core/configReader";
import { cidrContains, cidrsOverlap, parseCidr } from "../core/ipRanges";
import { GatewayPrivateDnsZone, vnetIdOfSubnet } from "../core/naming";
import type { PrivateEndpointConfig } from "../network/privateNetwork.config";
import { checkEmail, checkGuid, checkResourceId } from "../core/validators";

/** Tiers with both the circuit breaker (not Consumption) and an inbound private endpoint (not Basic v2). */
export const GatewaySkus = ["StandardV2", "PremiumV2", "Developer", "Basic", "Standard", "Premium"] as const;
export type GatewaySku = (typeof GatewaySkus)[number];

/** Tiers that can call into a virtual network while keeping an inbound private endpoint. */
export const OutboundIntegrationSkus: readonly GatewaySku[] = ["StandardV2", "PremiumV2"];

/** Where the gateway's calls to the accounts leave from. */
export type GatewayNetwork =
    /** The service's public side: reaches only accounts open to any public address. */
    | { kind: "none" }
    /** A subnet the stack creates in the network it creates for the private endpoints. */
    | { kind: "create"; subnetAddressPrefix: string }
    /** An existing subnet (hub-and-spoke), delegated to Microsoft.Web/serverFarms, in the endpoints' network. */
    | { kind: "existing"; subnetId: string };

/** Microsoft's smallest subnet for outbound integration (a /27 or larger is recommended). */
export const SmallestGatewaySubnet = 28;

export interface GatewayConfig {
    /** Optional. Defaults to `StandardV2`: an SLA, minutes to provision, private endpoint and circuit breaker. */
    sku: GatewaySku;
    /** Optional. Defaults to 1. Scale units (Developer has exactly 1). */
    capacity: number;
    /** Required. Where Azure sends the service's notifications. */
    publisherEmail: string;
    /** Optional. Defaults to `<namePrefix> platform team`. */
    publisherName?: string;
    /** Required. The audience callers' Entra ID tokens must carry: the app registration's Application ID URI (v1.0 tokens) or client id. */
    audience: string;
    /**
     * Optional. Defaults to none. The app registration's client id: v2.0 tokens carry it as their audience
     * instead of the Application ID URI, so with it the gateway accepts both token versions.
     */
    clientId?: string;
    /** Optional. Defaults to none. App roles a caller's token must hold one of. */
    roles: string[];
    /** Optional. Defaults to `false`: Entra ID only. `true` also demands an APIM subscription key. */
    subscriptionKeys: boolean;
    /** Optional. Defaults to 2. Retries of a 429 or 5xx, each on the next backend the pool offers. */
    retries: number;
    /** Optional. Defaults to 60. How long a backend's breaker stays open after a 429 or 5xx (unless Retry-After says otherwise). */
    tripDurationSeconds: number;
    /**
     * Optional. Defaults to `Disabled` with a private endpoint, else `Enabled`. Azure creates the service
     * public and closes it once its private endpoint is approved; see docs/deploy-hazards.md.
     */
    publicNetworkAccess: "Enabled" | "Disabled";
    /**
     * Optional. Defaults to none (the public side), which reaches only accounts open to any address.
     * `subnetAddressPrefix` (a /27 inside privateEndpoint.vnetAddressSpace, created and delegated) or
     * `subnetId` (an existing delegated subnet in the private endpoints' network).
     */
    network: GatewayNetwork;
    /** Optional. Defaults to a zone the stack creates. With a hub's DNS (privateEndpoint.dnsZoneId), required: the hub's privatelink.azure-api.net zone. */
    dnsZoneId?: string;
}

/** The accounts the gateway fronts, as the network and private endpoint sections leave them. */
export interface GatewayTargets {
    /** True when every account answers any public address (public access on, firewall Allow). */
    accountsOpenToInternet: boolean;
    privateEndpoint?: PrivateEndpointConfig;
}

const Fields = [
    "sku", "capacity", "publisherEmail", "publisherName", "audience", "clientId", "roles", "subscriptionKeys", "retries", "tripDurationSeconds", "publicNetworkAccess",
    "subnetAddressPrefix", "subnetId", "dnsZoneId",
] as const;
/** Azure's limit on publisherName and publisherEmail. */
const PublisherMax = 100;

const Audience = {
    pattern: /^(api:\/\/[^\s]+|https:\/\/[^\s]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i,
    allowed: "the gateway app registration's Application ID URI (api://...) or client id (a GUID)",
};
const Role = { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$/, allowed: "an app role value such as OpenAI.Caller" };

function checkLength(text: string): string | undefined {
    return text.length > PublisherMax ? `has ${text.length} characters; Azure allows at most ${PublisherMax}` : undefined;
}

/** Every audience the gateway accepts: the configured one, and the client id v2.0 tokens carry. */
export function gatewayAudiences(g: Pick<GatewayConfig, "audience" | "clientId">): string[] {
    return [...new Set([g.audience, ...(g.clientId ? [g.clientId] : [])])];
}

function withDefault<T>(value: Json | undefined, fallback: T, read: (v: Json) => T | undefined): T | undefined {
    return value === undefined ? fallback : read(value);
}

interface GatewayNeeds extends GatewayTargets {
    hasRegions: boolean;
}

/**
 * Where the gateway's outbound calls leave from, checked against what the accounts accept: a gateway
 * that could not reach its accounts is refused here, naming the keys and the fix.
 */
function readNetwork(r: Reader, g: Record<string, Json>, sku: GatewaySku | undefined, targets: GatewayTargets): GatewayNetwork | undefined {
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

function readDnsZoneId(r: Reader, value: Json | undefined, pe: PrivateEndpointConfig | undefined, isPrivate: boolean): string | null | undefined {
    const hubDns = pe?.dnsZone.kind === "existing";
    if (value === undefined) {
        if (hubDns && isPrivate) {
            r.report("gateway.dnsZoneId", `is required with privateEndpoint.dnsZoneId: the hub owns private DNS, so give its ${GatewayPrivateDnsZone} zone for the gateway's private endpoint`);
            return undefined;
        }
        return null;
    }
    if (!hubDns) {
        r.report("gateway.dnsZoneId", "is only for a hub's DNS (privateEndpoint.dnsZoneId); without it the stack creates and links the gateway's zone");
        return undefined;
    }
    return r.checked("gateway.dnsZoneId", value, (id) =>
        checkResourceId(id, "privateDnsZone") ?? (id.toLowerCase().endsWith(`/${GatewayPrivateDnsZone}`) ? undefined : `is not a ${GatewayPrivateDnsZone} zone; a gateway's private endpoint resolves only through that zone`),
    );
}

export const gatewaySection: ConfigSection<{ gateway?: GatewayConfig }, GatewayNeeds> = {
    keys: { gateway: { fields: Fields } },
    read(r, get, { hasRegions, ...targets }) {
        const hasPrivateEndpoint = targets.privateEndpoint !== undefined;
        const value = get("gateway");
        if (value === undefined || isEmptyMapping(value)) return {};
        const g = r.object("gateway", value);
        if (!g) return undefined;
        r.unknownKeys("gateway", g, Fields);
        if (!hasRegions) r.report("gateway", "needs regions: its pool fails over between the primary and at least one secondary; add aoai:regions, or remove the gateway");
        const sku = withDefault(g.sku, "StandardV2" as GatewaySku, (v) => r.oneOf("gateway.sku", v, GatewaySkus));
        const capacity = withDefault(g.capacity, 1, (v) => r.integer("gateway.capacity", v, 1, sku === "Developer" ? 1 : 12, sku === "Developer" ? "Developer has one unit" : "scale units"));
        const publisherEmail = g.publisherEmail === undefined ? (r.report("gateway.publisherEmail", "is required: where Azure sends the service's notifications"), undefined) : r.checked("gateway.publisherEmail", g.publisherEmail, (text) => checkLength(text) ?? checkEmail(text));
        const publisherName = g.publisherName === undefined ? undefined : r.checked("gateway.publisherName", g.publisherName, checkLength);
        const audience = g.audience === undefined ? (r.report("gateway.audience", `is required: ${Audience.allowed}, which callers' tokens must name`), undefined) : r.string("gateway.audience", g.audience, Audience);
        const clientId = g.clientId === undefined ? null : r.checked("gateway.clientId", g.clientId, checkGuid);
        const roles = r.stringList("gateway.roles", g.roles, (role) => (Role.pattern.test(role) ? undefined : `is not ${Role.allowed}`));
        const subscriptionKeys = withDefault(g.subscriptionKeys, false, (v) => r.boolean("gateway.subscriptionKeys", v));
        const retries = withDefault(g.retries, 2, (v) => r.integer("gateway.retries", v, 0, 5, "retries on the next backend"));
        const tripDurationSeconds = withDefault(g.tripDurationSeconds, 60, (v) => r.integer("gateway.tripDurationSeconds", v, 10, 3600, "seconds a tripped backend rests"));
        const publicNetworkAccess = withDefault(g.publicNetworkAccess, hasPrivateEndpoint ? ("Disabled" as const) : ("Enabled" as const), (v) => r.oneOf("gateway.publicNetworkAccess", v, ["Enabled", "Disabled"] as const));
        if (publicNetworkAccess === "Disabled" && !hasPrivateEndpoint) {
            r.report("gateway.publicNetworkAccess", "Disabled needs a private endpoint (aoai:privateEndpoint), or nobody could reach the gateway");
        }
        const network = readNetwork(r, g, sku, targets);
        const dnsZoneId = readDnsZoneId(r, g.dnsZoneId, targets.privateEndpoint, hasPrivateEndpoint);
        if (!sku || !capacity || !publisherEmail || !audience || clientId === undefined || subscriptionKeys === undefined || retries === undefined || !tripDurationSeconds || !publicNetworkAccess || (g.publisherName !== undefined && !publisherName) || !hasRegions || !network || dnsZoneId === undefined) {
            return undefined;
        }
        return {
            gateway: {
                sku, capacity, publisherEmail, ...(publisherName ? { publisherName } : {}), audience, ...(clientId ? { clientId } : {}), roles, subscriptionKeys, retries, tripDurationSeconds, publicNetworkAccess, network,
                ...(dnsZoneId ? { dnsZoneId } : {}),
            },
        };
    },
};
