/**
 * IPv4 addresses and CIDR blocks as whole ranges, for the account firewall's IP rules and the networks
 * a stack creates. One implementation for the program (stack validation) and the policy pack (the ACL
 * policy), so both refuse the same rules for the same reasons.
 */

export interface Cidr {
    network: number;
    prefixLength: number;
}

function parseIpv4(text: string): number | undefined {
    const parts = text.split(".");
    if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9][0-9]{0,2})$/.test(p))) {
        return undefined;
    }
    const octets = parts.map(Number);
    if (octets.some((o) => o > 255)) {
        return undefined;
    }
    return ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
}

function maskOf(prefixLength: number): number {
    return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

function formatIpv4(value: number): string {
    return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
}

/** Parses `a.b.c.d/n`; returns a problem sentence instead when it is not a canonical IPv4 CIDR block. */
export function parseCidr(value: string): Cidr | string {
    const match = /^([^/]+)\/(\d{1,2})$/.exec(value);
    const address = match ? parseIpv4(match[1]) : undefined;
    const prefixLength = match ? Number(match[2]) : NaN;
    if (address === undefined || !(prefixLength >= 0 && prefixLength <= 32)) {
        return "must be an IPv4 CIDR block such as 10.20.0.0/24";
    }
    const network = (address & maskOf(prefixLength)) >>> 0;
    if (network !== address) {
        return `has host bits set; the block starts at ${formatIpv4(network)}/${prefixLength}`;
    }
    return { network, prefixLength };
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
    return inner.prefixLength >= outer.prefixLength && ((inner.network & maskOf(outer.prefixLength)) >>> 0) === outer.network;
}

/** True when two blocks share an address (aligned blocks either nest or are apart). */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
    return cidrContains(a, b) || cidrContains(b, a);
}

const PublicCallers = "list the public addresses of your callers";
const PrivatePath = "traffic from a private network reaches the account through a private endpoint or a virtual-network rule";

/**
 * Address space that never belongs to a caller on the internet (IANA's special-purpose registry,
 * RFC 6890). Azure evaluates IP rules against the public source address of a request, so a rule
 * touching any of these either does nothing or hides a mistake.
 */
const NonPublicBlocks: { block: string; what: string; instead: string; cidr: Cidr }[] = [
    { block: "0.0.0.0/8", what: "a reserved ('this network') range", instead: PublicCallers },
    { block: "10.0.0.0/8", what: "a private (RFC 1918) range", instead: PrivatePath },
    { block: "100.64.0.0/10", what: "a carrier-grade NAT (RFC 6598) range", instead: "list the public address your provider's NAT uses" },
    { block: "127.0.0.0/8", what: "a loopback range", instead: PublicCallers },
    { block: "169.254.0.0/16", what: "a link-local range", instead: PublicCallers },
    { block: "172.16.0.0/12", what: "a private (RFC 1918) range", instead: PrivatePath },
    { block: "192.168.0.0/16", what: "a private (RFC 1918) range", instead: PrivatePath },
    { block: "224.0.0.0/4", what: "a multicast range", instead: PublicCallers },
    { block: "240.0.0.0/4", what: "a reserved range (including broadcast)", instead: PublicCallers },
].map((b) => ({ ...b, cidr: parseCidr(b.block) as Cidr }));

/** Blocks wider than this are public access in all but name (a /7 is 33 million addresses). */
export const WidestIpRulePrefix = 8;

/**
 * An account IP rule: a public IPv4 address, or a public CIDR block from /8 to /30. Returns a problem
 * sentence, or undefined when Azure would accept the rule and it means what it says.
 */
export function checkIpRule(value: string): string | undefined {
    let rule: Cidr;
    if (value.includes("/")) {
        const cidr = parseCidr(value);
        if (typeof cidr === "string") return cidr;
        rule = cidr;
    } else {
        const address = parseIpv4(value);
        if (address === undefined) {
            return "must be a public IPv4 address such as 203.0.113.10 or a CIDR block such as 203.0.113.0/24";
        }
        rule = { network: address, prefixLength: 32 };
    }
    if (value.includes("/") && rule.prefixLength >= 31) {
        // Azure refuses /31 and /32 blocks in account network rules; single addresses go in as they are.
        return `is a /${rule.prefixLength} block, which Azure does not accept; write the address${rule.prefixLength === 31 ? "es" : ""} without a prefix (e.g. ${formatIpv4(rule.network)})`;
    }
    const openly = `To open the account to everyone say so: network.defaultAction: Allow with no ipRules; otherwise list your callers' own ranges (/${WidestIpRulePrefix} at the widest)`;
    if (rule.prefixLength < WidestIpRulePrefix) {
        return `allows ${2 ** (32 - rule.prefixLength)} addresses: that is public access in all but name. ${openly}`;
    }
    if (rule.network === 0 && rule.prefixLength === 32) {
        return `reads as "any address" but is one reserved address that never calls anything. ${openly}`;
    }
    const clash = NonPublicBlocks.find((b) => cidrsOverlap(b.cidr, rule));
    if (clash) {
        const inside = cidrContains(clash.cidr, rule);
        return `${inside ? "is" : "overlaps"} ${clash.what} (${clash.block}), which Azure does not accept in IP rules (it is never the source address Azure sees); ${clash.instead}`;
    }
    return undefined;
}

/** Address space a network the stack creates may use: RFC 1918, and the shared space Azure also allows (RFC 6598). */
const PrivateSpaces = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map((b) => parseCidr(b) as Cidr);

/** Azure's smallest subnet. */
const SmallestSubnet = 29;

/**
 * What is wrong with a network a stack creates and a subnet in it (both given as valid blocks), naming
 * which of the two it is about; undefined when both are fine. `spaceKey` is how the message names the
 * network's own setting.
 */
export function createdNetworkProblem(space: string, subnet: string, spaceKey: string): { on: "space" | "subnet"; problem: string } | undefined {
    const [outer, inner] = [parseCidr(space), parseCidr(subnet)] as Cidr[];
    if (!PrivateSpaces.some((block) => cidrContains(block, outer))) {
        return { on: "space", problem: `"${space}" is public address space; a network the stack creates uses private space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10), or its addresses would shadow real hosts on the internet` };
    }
    if (!cidrContains(outer, inner)) return { on: "subnet", problem: `"${subnet}" lies outside ${spaceKey} ${space}; choose a block inside it` };
    if (inner.prefixLength > SmallestSubnet) return { on: "subnet", problem: `"${subnet}" is too small; Azure subnets need at least a /${SmallestSubnet}` };
    return undefined;
}
