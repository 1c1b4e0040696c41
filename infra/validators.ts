/**
 * Pure checks for single values. Each returns `undefined` when the value is fine, or a sentence saying
 * what is wrong and what is allowed; the configuration module prefixes it with the offending key.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function checkGuid(value: string): string | undefined {
    return GUID.test(value) ? undefined : "must be a GUID such as 00000000-0000-0000-0000-000000000000 (an Entra object id)";
}

/** Azure's rules for a custom subdomain: 2-64 characters, lowercase letters, digits and hyphens, alphanumeric at both ends. */
export function checkCustomSubdomain(value: string): string | undefined {
    if (value.length < 2 || value.length > 64) {
        return `must be 2-64 characters long (it is ${value.length})`;
    }
    if (!/^[a-z0-9-]+$/.test(value)) {
        return "may contain only lowercase letters, digits and hyphens";
    }
    if (!/^[a-z0-9].*[a-z0-9]$/.test(value)) {
        return "must start and end with a lowercase letter or digit";
    }
    return undefined;
}

interface Ipv4 {
    octets: number[];
    value: number;
}

function parseIpv4(text: string): Ipv4 | undefined {
    const parts = text.split(".");
    if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9][0-9]{0,2})$/.test(p))) {
        return undefined;
    }
    const octets = parts.map(Number);
    if (octets.some((o) => o > 255)) {
        return undefined;
    }
    return { octets, value: ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3] };
}

export interface Cidr {
    network: number;
    prefixLength: number;
}

/** Parses `a.b.c.d/n`; returns a problem sentence instead when it is not a canonical IPv4 CIDR block. */
export function parseCidr(value: string): Cidr | string {
    const match = /^([^/]+)\/(\d{1,2})$/.exec(value);
    const address = match ? parseIpv4(match[1]) : undefined;
    const prefixLength = match ? Number(match[2]) : NaN;
    if (!address || !(prefixLength >= 0 && prefixLength <= 32)) {
        return "must be an IPv4 CIDR block such as 10.20.0.0/24";
    }
    const mask = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
    const network = (address.value & mask) >>> 0;
    if (network !== address.value) {
        return `has host bits set; the block starts at ${formatIpv4(network)}/${prefixLength}`;
    }
    return { network, prefixLength };
}

function formatIpv4(value: number): string {
    return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
    if (inner.prefixLength < outer.prefixLength) {
        return false;
    }
    const mask = outer.prefixLength === 0 ? 0 : (0xffffffff << (32 - outer.prefixLength)) >>> 0;
    return ((inner.network & mask) >>> 0) === outer.network;
}

function isPrivateIpv4(value: number): boolean {
    const [a, b] = [value >>> 24, (value >>> 16) & 255];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/**
 * An account IP rule: a public IPv4 address or CIDR block. Azure refuses private (RFC 1918) ranges in
 * IP rules; traffic from a private network reaches the account through a private endpoint or a
 * virtual-network rule instead.
 */
export function checkIpRule(value: string): string | undefined {
    let start: number;
    if (value.includes("/")) {
        const cidr = parseCidr(value);
        if (typeof cidr === "string") {
            return cidr;
        }
        start = cidr.network;
    } else {
        const address = parseIpv4(value);
        if (!address) {
            return "must be a public IPv4 address such as 203.0.113.10 or a CIDR block such as 203.0.113.0/24";
        }
        start = address.value;
    }
    if (isPrivateIpv4(start)) {
        return "is a private (RFC 1918) range, which Azure does not accept in IP rules; use a private endpoint or a virtual-network rule";
    }
    return undefined;
}

/** Resource-id shapes this project accepts from configuration. Segment names are case-insensitive, as in ARM. */
const ResourceIdShapes = {
    subnet: {
        pattern: /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i,
        example: "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>",
    },
    privateDnsZone: {
        pattern: /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateDnsZones\/[^/]+$/i,
        example: "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/privatelink.openai.azure.com",
    },
    logAnalyticsWorkspace: {
        pattern: /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+$/i,
        example: "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>",
    },
} as const;
export type ResourceIdKind = keyof typeof ResourceIdShapes;

export function checkResourceId(value: string, kind: ResourceIdKind): string | undefined {
    const shape = ResourceIdShapes[kind];
    return shape.pattern.test(value) ? undefined : `must be a resource id of the form ${shape.example}`;
}

/** The virtual network that contains a subnet, from the subnet's resource id. */
export function vnetIdOfSubnet(subnetId: string): string {
    return subnetId.replace(/\/subnets\/[^/]+$/i, "");
}
