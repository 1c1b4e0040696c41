/**
 * The gateway section: an API Management gateway in front of every region's account, failing over by
 * priority when a region throttles or fails. Key `gateway` (`sku`, `capacity`, `publisherEmail`,
 * `publisherName`, `audience`, `clientId`, `roles`, `subscriptionKeys`, `retries`,
 * `tripDurationSeconds`, `publicNetworkAccess`, `subnetAddressPrefix` or `subnetId`, `dnsZoneId`, `teams`,
 * `pricePerMillionTokens`; teams in teams.config.ts).
 *
 * The gateway must have a network path to every account it fronts. An account that is not open to
 * any public address (public access off, or a firewall of listed addresses the gateway's egress is
 * not among) is reached only through its private endpoint, so the gateway joins the endpoints'
 * network with outbound virtual network integration: Standard v2 and Premium v2 only, in a subnet of
 * its own delegated to Microsoft.Web/serverFarms. Classic injection (Developer, Premium) cannot be
 * combined with the inbound private endpoint this stack gives the gateway, and Basic/Standard have
 * no network integration at all, so those tiers are refused in front of private accounts.
 */
import { ConfigSection, Json, Reader, isEmptyMapping } from "../core/configReader";
import { GatewayPrivateDnsZone } from "../core/naming";
import type { PrivateEndpointConfig } from "../network/privateNetwork.config";
import { checkEmail, checkGuid, checkResourceId } from "../core/validators";
import { TeamConfig, readPrices, readTeams } from "./teams.config";
import { readNetwork } from "./gatewayNetwork.config";

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
    /** Optional. Defaults to none: any caller with a valid token, unlimited. Teams, their deployments and limits (teams.config.ts). */
    teams: TeamConfig[];
    /** Optional. Defaults to none (the chargeback query shows tokens only). Price of a million tokens per model, in the billing currency. */
    pricePerMillionTokens: Record<string, number>;
}

/** The accounts the gateway fronts, as the network and private endpoint sections leave them. */
export interface GatewayTargets {
    /** True when every account answers any public address (public access on, firewall Allow). */
    accountsOpenToInternet: boolean;
    privateEndpoint?: PrivateEndpointConfig;
}

const Fields = ["sku", "capacity", "publisherEmail", "publisherName", "audience", "clientId", "roles", "subscriptionKeys", "retries", "tripDurationSeconds", "publicNetworkAccess", "subnetAddressPrefix", "subnetId", "dnsZoneId", "teams", "pricePerMillionTokens"] as const;
/** Tiers Azure lists with reasons this stack cannot use them (the rest are in GatewaySkus). */
const RefusedSkus: Record<string, string> = {
    Consumption: "Consumption has no circuit breaker, no private endpoint and cannot run llm-token-limit (the teams' limits)",
    BasicV2: "Basic v2 has no private endpoint and no outbound network integration",
};
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
    /** The stack's deployments by name and model, which teams and prices name. */
    deployments: readonly { name: string; model: string }[];
    /** True when the stack sends logs to a workspace (aoai:diagnostics), where the gateway's usage goes too. */
    hasWorkspace: boolean;
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
    read(r, get, { hasRegions, deployments, hasWorkspace, ...targets }) {
        const hasPrivateEndpoint = targets.privateEndpoint !== undefined;
        const value = get("gateway");
        if (value === undefined || isEmptyMapping(value)) return {};
        const g = r.object("gateway", value);
        if (!g) return undefined;
        r.unknownKeys("gateway", g, Fields);
        if (!hasRegions) r.report("gateway", "needs regions: its pool fails over between the primary and at least one secondary; add aoai:regions, or remove the gateway");
        const sku = typeof g.sku === "string" && RefusedSkus[g.sku]
            ? (r.report("gateway.sku", `${g.sku} is not allowed: ${RefusedSkus[g.sku]}; use one of ${GatewaySkus.join(", ")}`), undefined)
            : withDefault(g.sku, "StandardV2" as GatewaySku, (v) => r.oneOf("gateway.sku", v, GatewaySkus));
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
        const teams = readTeams(r, g.teams, deployments.map((d) => d.name));
        const pricePerMillionTokens = readPrices(r, g.pricePerMillionTokens, [...new Set(deployments.map((d) => d.model))]);
        if (teams?.length && !hasWorkspace) r.report("gateway.teams", "needs aoai:diagnostics enabled: each team's usage goes to the stack's Log Analytics workspace, which the chargeback query reads");
        if (!teams || !pricePerMillionTokens || (teams.length > 0 && !hasWorkspace)) return undefined;
        if (!sku || !capacity || !publisherEmail || !audience || clientId === undefined || subscriptionKeys === undefined || retries === undefined || !tripDurationSeconds || !publicNetworkAccess || (g.publisherName !== undefined && !publisherName) || !hasRegions || !network || dnsZoneId === undefined) {
            return undefined;
        }
        return {
            gateway: {
                sku, capacity, publisherEmail, ...(publisherName ? { publisherName } : {}), audience, ...(clientId ? { clientId } : {}), roles, subscriptionKeys, retries, tripDurationSeconds, publicNetworkAccess, network,
                ...(dnsZoneId ? { dnsZoneId } : {}), teams, pricePerMillionTokens,
            },
        };
    },
};
