/**
 * The gateway section: an API Management gateway in front of every region's account, failing over by
 * priority when a region throttles or fails. Key `gateway` (`sku`, `capacity`, `publisherEmail`,
 * `publisherName`, `audience`, `roles`, `subscriptionKeys`, `retries`, `tripDurationSeconds`,
 * `publicNetworkAccess`).
 */
import { ConfigSection, Json, isEmptyMapping } from "./configReader";
import { checkEmail } from "./validators";

/** Tiers with both the circuit breaker (not Consumption) and an inbound private endpoint (not Basic v2). */
export const GatewaySkus = ["StandardV2", "Developer", "Basic", "Standard", "Premium"] as const;
export type GatewaySku = (typeof GatewaySkus)[number];

export interface GatewayConfig {
    /** Optional. Defaults to `StandardV2`: an SLA, minutes to provision, private endpoint and circuit breaker. */
    sku: GatewaySku;
    /** Optional. Defaults to 1. Scale units (Developer has exactly 1). */
    capacity: number;
    /** Required. Where Azure sends the service's notifications. */
    publisherEmail: string;
    /** Optional. Defaults to `<namePrefix> platform team`. */
    publisherName?: string;
    /** Required. The audience callers' Entra ID tokens must carry (the gateway's app registration). */
    audience: string;
    /** Optional. Defaults to none. App roles a caller's token must hold one of. */
    roles: string[];
    /** Optional. Defaults to `false`: Entra ID only. `true` also demands an APIM subscription key. */
    subscriptionKeys: boolean;
    /** Optional. Defaults to 2. Retries of a 429 or 5xx, each on the next backend the pool offers. */
    retries: number;
    /** Optional. Defaults to 60. How long a backend's breaker stays open after a 429 or 5xx (unless Retry-After says otherwise). */
    tripDurationSeconds: number;
    /** Optional. Defaults to `Disabled` with a private endpoint, else `Enabled`. */
    publicNetworkAccess: "Enabled" | "Disabled";
}

const Fields = ["sku", "capacity", "publisherEmail", "publisherName", "audience", "roles", "subscriptionKeys", "retries", "tripDurationSeconds", "publicNetworkAccess"] as const;

const Audience = {
    pattern: /^(api:\/\/[^\s]+|https:\/\/[^\s]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i,
    allowed: "the gateway app registration's Application ID URI (api://...) or client id (a GUID)",
};
const Role = { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$/, allowed: "an app role value such as OpenAI.Caller" };

function withDefault<T>(value: Json | undefined, fallback: T, read: (v: Json) => T | undefined): T | undefined {
    return value === undefined ? fallback : read(value);
}

interface GatewayNeeds {
    hasRegions: boolean;
    hasPrivateEndpoint: boolean;
    /** The private endpoint uses a hub's zone (`privateEndpoint.dnsZoneId`); the gateway's own zone would be the hub's too. */
    hubOwnsPrivateDns: boolean;
}

export const gatewaySection: ConfigSection<{ gateway?: GatewayConfig }, GatewayNeeds> = {
    keys: { gateway: { fields: Fields } },
    read(r, get, { hasRegions, hasPrivateEndpoint, hubOwnsPrivateDns }) {
        const value = get("gateway");
        if (value === undefined || isEmptyMapping(value)) return {};
        const g = r.object("gateway", value);
        if (!g) return undefined;
        r.unknownKeys("gateway", g, Fields);
        if (hubOwnsPrivateDns) {
            r.report("gateway", "with privateEndpoint.dnsZoneId the hub owns private DNS, and the stack cannot register the gateway in the hub's privatelink.azure-api.net zone; let the stack create its zones (no dnsZoneId), or run the gateway elsewhere");
        }
        if (!hasRegions) r.report("gateway", "needs regions: its pool fails over between the primary and at least one secondary; add aoai:regions, or remove the gateway");
        const sku = withDefault(g.sku, "StandardV2" as GatewaySku, (v) => r.oneOf("gateway.sku", v, GatewaySkus));
        const capacity = withDefault(g.capacity, 1, (v) => r.integer("gateway.capacity", v, 1, sku === "Developer" ? 1 : 12, sku === "Developer" ? "Developer has one unit" : "scale units"));
        const publisherEmail = g.publisherEmail === undefined ? (r.report("gateway.publisherEmail", "is required: where Azure sends the service's notifications"), undefined) : r.checked("gateway.publisherEmail", g.publisherEmail, checkEmail);
        const publisherName = g.publisherName === undefined ? undefined : r.string("gateway.publisherName", g.publisherName);
        const audience = g.audience === undefined ? (r.report("gateway.audience", `is required: ${Audience.allowed}, which callers' tokens must name`), undefined) : r.string("gateway.audience", g.audience, Audience);
        const roles = r.stringList("gateway.roles", g.roles, (role) => (Role.pattern.test(role) ? undefined : `is not ${Role.allowed}`));
        const subscriptionKeys = withDefault(g.subscriptionKeys, false, (v) => r.boolean("gateway.subscriptionKeys", v));
        const retries = withDefault(g.retries, 2, (v) => r.integer("gateway.retries", v, 0, 5, "retries on the next backend"));
        const tripDurationSeconds = withDefault(g.tripDurationSeconds, 60, (v) => r.integer("gateway.tripDurationSeconds", v, 10, 3600, "seconds a tripped backend rests"));
        const publicNetworkAccess = withDefault(g.publicNetworkAccess, hasPrivateEndpoint ? ("Disabled" as const) : ("Enabled" as const), (v) => r.oneOf("gateway.publicNetworkAccess", v, ["Enabled", "Disabled"] as const));
        if (publicNetworkAccess === "Disabled" && !hasPrivateEndpoint) {
            r.report("gateway.publicNetworkAccess", "Disabled needs a private endpoint (aoai:privateEndpoint), or nobody could reach the gateway");
        }
        if (!sku || !capacity || !publisherEmail || !audience || subscriptionKeys === undefined || retries === undefined || !tripDurationSeconds || !publicNetworkAccess || (g.publisherName !== undefined && !publisherName) || !hasRegions || hubOwnsPrivateDns) {
            return undefined;
        }
        return { gateway: { sku, capacity, publisherEmail, ...(publisherName ? { publisherName } : {}), audience, roles, subscriptionKeys, retries, tripDurationSeconds, publicNetworkAccess } };
    },
};
