/**
 * The private endpoint section: the account reached from a virtual network through private DNS.
 * Key `privateEndpoint` (`subnetId`, or `vnetAddressSpace` + `subnetAddressPrefix`; `dnsZoneId`).
 */
import { ConfigSection, Json, Reader, isEmptyMapping, show } from "./configReader";
import { Cidr, cidrContains, parseCidr } from "./ipRanges";
import { OpenAiPrivateDnsZone } from "./naming";
import { checkResourceId } from "./validators";

export type SubnetChoice =
    | { kind: "existing"; subnetId: string }
    | { kind: "create"; vnetAddressSpace: string; subnetAddressPrefix: string };

export type DnsZoneChoice = { kind: "existing"; zoneId: string } | { kind: "create" };

export interface PrivateEndpointConfig {
    /** Required. An existing subnet (`subnetId`), or a network and subnet the stack creates. */
    subnet: SubnetChoice;
    /** Optional. Defaults to a zone the stack creates and links; `dnsZoneId` uses an existing (hub) zone. */
    dnsZone: DnsZoneChoice;
}

/** Azure's smallest subnet. */
const SmallestSubnet = 29;

/** Address space a private network may use: RFC 1918, and the shared space Azure also allows (RFC 6598). */
const PrivateSpaces = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map((b) => parseCidr(b) as Cidr);

/** Addresses Azure leaves to endpoints in a subnet: all but five (the network, broadcast and three of its own). */
export function usableAddresses(subnetAddressPrefix: string): number {
    const cidr = parseCidr(subnetAddressPrefix);
    return typeof cidr === "string" ? 0 : 2 ** (32 - cidr.prefixLength) - 5;
}

function readCidr(r: Reader, path: string, value: Json | undefined): string | undefined {
    if (value === undefined) {
        r.report(path, "is required when the stack creates the virtual network; e.g. 10.20.0.0/24");
        return undefined;
    }
    return r.checked(path, value, (text) => {
        const parsed = parseCidr(text);
        return typeof parsed === "string" ? parsed : undefined;
    });
}

function readSubnet(r: Reader, pe: Record<string, Json>): SubnetChoice | undefined {
    const creates = pe.vnetAddressSpace !== undefined || pe.subnetAddressPrefix !== undefined;
    if (pe.subnetId !== undefined && creates) {
        r.report("privateEndpoint", "sets both subnetId and vnetAddressSpace/subnetAddressPrefix; use an existing subnet or let the stack create one, not both");
        return undefined;
    }
    if (pe.subnetId !== undefined) {
        const subnetId = r.checked("privateEndpoint.subnetId", pe.subnetId, (id) => checkResourceId(id, "subnet"));
        return subnetId ? { kind: "existing", subnetId } : undefined;
    }
    if (!creates) {
        r.report("privateEndpoint", "needs a subnet: set subnetId (existing subnet) or vnetAddressSpace and subnetAddressPrefix (the stack creates them)");
        return undefined;
    }
    const space = readCidr(r, "privateEndpoint.vnetAddressSpace", pe.vnetAddressSpace);
    const prefix = readCidr(r, "privateEndpoint.subnetAddressPrefix", pe.subnetAddressPrefix);
    if (!space || !prefix) return undefined;
    const [outer, inner] = [parseCidr(space), parseCidr(prefix)];
    if (typeof outer === "string" || typeof inner === "string") return undefined;
    if (!PrivateSpaces.some((block) => cidrContains(block, outer))) {
        r.report("privateEndpoint.vnetAddressSpace", `${show(space)} is public address space; a network the stack creates uses private space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10), or its addresses would shadow real hosts on the internet`);
        return undefined;
    }
    if (!cidrContains(outer, inner)) {
        r.report("privateEndpoint.subnetAddressPrefix", `${show(prefix)} lies outside vnetAddressSpace ${space}; choose a block inside it`);
        return undefined;
    }
    if (inner.prefixLength > SmallestSubnet) {
        r.report("privateEndpoint.subnetAddressPrefix", `${show(prefix)} is too small; Azure subnets need at least a /${SmallestSubnet}`);
        return undefined;
    }
    return { kind: "create", vnetAddressSpace: space, subnetAddressPrefix: prefix };
}

function readDnsZone(r: Reader, value: Json | undefined): DnsZoneChoice | undefined {
    if (value === undefined) return { kind: "create" };
    const zoneId = r.checked("privateEndpoint.dnsZoneId", value, (id) =>
        checkResourceId(id, "privateDnsZone") ??
        (id.toLowerCase().endsWith(`/${OpenAiPrivateDnsZone}`) ? undefined : `is not a ${OpenAiPrivateDnsZone} zone; a kind-OpenAI endpoint resolves only through that zone`),
    );
    return zoneId ? { kind: "existing", zoneId } : undefined;
}

const Fields = ["subnetId", "vnetAddressSpace", "subnetAddressPrefix", "dnsZoneId"] as const;

export const privateEndpointSection: ConfigSection<{ privateEndpoint?: PrivateEndpointConfig }> = {
    keys: { privateEndpoint: { fields: Fields } },
    read(r, get) {
        const value = get("privateEndpoint");
        // An empty mapping is "not configured": Pulumi.yaml must declare a default for every optional key.
        if (value === undefined || isEmptyMapping(value)) return {};
        const pe = r.object("privateEndpoint", value);
        if (!pe) return undefined;
        r.unknownKeys("privateEndpoint", pe, Fields);
        const subnet = readSubnet(r, pe);
        const dnsZone = readDnsZone(r, pe.dnsZoneId);
        return subnet && dnsZone ? { privateEndpoint: { subnet, dnsZone } } : undefined;
    },
};
