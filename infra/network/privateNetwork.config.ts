/**
 * The private endpoint section: the account reached from a virtual network through private DNS.
 * Key `privateEndpoint` (`subnetId`, or `vnetAddressSpace` + `subnetAddressPrefix`; `dnsZoneId`, and for
 * kind AIServices `cognitiveServicesDnsZoneId` + `aiServicesDnsZoneId`).
 */
import type { AccountKind } from "../foundry/kind";
import { ConfigSection, Json, Reader, isEmptyMapping } from "../core/configReader";
import { createdNetworkProblem, parseCidr } from "../core/ipRanges";
import { FoundryPrivateDnsZones, OpenAiPrivateDnsZone } from "../core/naming";
import { checkResourceId } from "../core/validators";

export type SubnetChoice =
    | { kind: "existing"; subnetId: string }
    | { kind: "create"; vnetAddressSpace: string; subnetAddressPrefix: string };

/** Existing (hub) zones by id, in the order of the zones the account's kind needs (privateDnsZones). */
export type DnsZoneChoice = { kind: "existing"; zoneIds: string[] } | { kind: "create" };

/** The zones an account's private endpoint registers in: one for kind OpenAI, three for a Foundry resource. */
export function privateDnsZones(kind: AccountKind): readonly string[] {
    return kind === "AIServices" ? FoundryPrivateDnsZones : [OpenAiPrivateDnsZone];
}

export interface PrivateEndpointConfig {
    /** Required. An existing subnet (`subnetId`), or a network and subnet the stack creates. */
    subnet: SubnetChoice;
    /**
     * Optional. Defaults to zones the stack creates and links. `dnsZoneId` uses an existing (hub)
     * privatelink.openai.azure.com zone; kind AIServices then also needs `cognitiveServicesDnsZoneId`
     * (privatelink.cognitiveservices.azure.com) and `aiServicesDnsZoneId` (privatelink.services.ai.azure.com).
     */
    dnsZone: DnsZoneChoice;
}

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
    const problem = createdNetworkProblem(space, prefix, "vnetAddressSpace");
    if (problem) {
        r.report(problem.on === "space" ? "privateEndpoint.vnetAddressSpace" : "privateEndpoint.subnetAddressPrefix", problem.problem);
        return undefined;
    }
    return { kind: "create", vnetAddressSpace: space, subnetAddressPrefix: prefix };
}

/** The keys of the existing zones, in the order of FoundryPrivateDnsZones. */
const ZoneKeys = ["dnsZoneId", "cognitiveServicesDnsZoneId", "aiServicesDnsZoneId"] as const;

function readDnsZone(r: Reader, pe: Record<string, Json>, kind: AccountKind | undefined): DnsZoneChoice | undefined {
    const given = ZoneKeys.filter((key) => pe[key] !== undefined);
    if (given.length === 0) return { kind: "create" };
    if (kind === "OpenAI" && given.some((key) => key !== "dnsZoneId")) {
        for (const key of given.filter((k) => k !== "dnsZoneId")) r.report(`privateEndpoint.${key}`, "is for kind AIServices only; a kind-OpenAI endpoint registers in privatelink.openai.azure.com alone (set aoai:kind: AIServices, or remove it)");
        return undefined;
    }
    // A Foundry endpoint registers all three names, so the zones come from one place: all from the hub, or all created here.
    const needed = kind === "AIServices" ? ZoneKeys : (["dnsZoneId"] as const);
    const missing = needed.filter((key) => pe[key] === undefined);
    if (kind === "AIServices" && missing.length > 0) {
        r.report("privateEndpoint", `sets ${given.join(", ")} but not ${missing.join(", ")}; a Foundry resource's endpoint registers in ${FoundryPrivateDnsZones.join(", ")}, so give the hub's id for each, or none to let the stack create all three`);
        return undefined;
    }
    const ids = needed.map((key, i) =>
        r.checked(`privateEndpoint.${key}`, pe[key], (id) =>
            checkResourceId(id, "privateDnsZone") ??
            (id.toLowerCase().endsWith(`/${FoundryPrivateDnsZones[i]}`) ? undefined : `is not a ${FoundryPrivateDnsZones[i]} zone; ${key} takes the id of that zone${i === 0 ? " (an account's Azure OpenAI host resolves only through it)" : ""}`),
        ),
    );
    return ids.every((id): id is string => id !== undefined) ? { kind: "existing", zoneIds: ids } : undefined;
}

const Fields = ["subnetId", "vnetAddressSpace", "subnetAddressPrefix", ...ZoneKeys] as const;

export const privateEndpointSection: ConfigSection<{ privateEndpoint?: PrivateEndpointConfig }, { kind?: AccountKind }> = {
    keys: { privateEndpoint: { fields: Fields } },
    read(r, get, { kind }) {
        const value = get("privateEndpoint");
        // An empty mapping is "not configured": Pulumi.yaml must declare a default for every optional key.
        if (value === undefined || isEmptyMapping(value)) return {};
        const pe = r.object("privateEndpoint", value);
        if (!pe) return undefined;
        r.unknownKeys("privateEndpoint", pe, Fields);
        const subnet = readSubnet(r, pe);
        const dnsZone = readDnsZone(r, pe, kind);
        return subnet && dnsZone ? { privateEndpoint: { subnet, dnsZone } } : undefined;
    },
};
