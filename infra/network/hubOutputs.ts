/**
 * What a hub stack reports and a spoke reads (Contract 5 in docs/design.md): the shared private DNS
 * zones, the tools network the runner sits in, and where they live. A spoke reads them once, before
 * it declares anything, and stops with every problem named when one is missing or malformed: a spoke
 * that guessed a zone id would register its endpoints where no one resolves them.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cidr, cidrsOverlap, parseCidr } from "../core/ipRanges";
import { SharedPrivateDnsZones } from "../core/naming";

export interface HubOutputs {
    /** The subscription the hub is in; a spoke in another one cannot write the hub's side. */
    subscriptionId: string;
    resourceGroupName: string;
    location: string;
    virtualNetworkName: string;
    virtualNetworkId: string;
    /** The tools network's address space; a spoke's must not overlap it, or peering is refused. */
    addressSpace: string;
    /** The subnet the self-hosted runner's machines take their addresses in. */
    runnerSubnetId: string;
    /** Every shared zone's id by its name; each is linked to the tools network. */
    dnsZoneIds: Record<string, string>;
}

/** The outputs a spoke reads, in the order they are checked. */
export const HubOutputKeys = ["subscriptionId", "resourceGroupName", "location", "virtualNetworkName", "virtualNetworkId", "addressSpace", "runnerSubnetId", "dnsZoneIds"] as const;

const Guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VnetId = /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+$/i;
const ZoneId = /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateDnsZones\/[^/]+$/i;

/** Checks what a hub stack reported; throws one RunError naming every output that is missing or wrong. */
export function checkHubOutputs(stack: string, values: Record<string, unknown>): HubOutputs {
    const problems: string[] = [];
    const text = (key: string, valid: (v: string) => boolean = (v) => v.length > 0) => {
        const v = values[key];
        if (typeof v === "string" && valid(v)) return v;
        problems.push(`${key}: ${v === undefined ? "missing" : `${JSON.stringify(v)} is not valid`}`);
        return "";
    };
    const subscriptionId = text("subscriptionId", (v) => Guid.test(v));
    const resourceGroupName = text("resourceGroupName");
    const location = text("location");
    const virtualNetworkName = text("virtualNetworkName");
    const virtualNetworkId = text("virtualNetworkId", (v) => VnetId.test(v) && v.toLowerCase().endsWith(`/${virtualNetworkName.toLowerCase()}`));
    const addressSpace = text("addressSpace", (v) => typeof parseCidr(v) !== "string");
    const runnerSubnetId = text("runnerSubnetId", (v) => v.toLowerCase().startsWith(`${virtualNetworkId.toLowerCase()}/subnets/`));
    const zones = values.dnsZoneIds;
    const dnsZoneIds: Record<string, string> = {};
    if (typeof zones !== "object" || zones === null || Array.isArray(zones)) {
        problems.push(`dnsZoneIds: ${zones === undefined ? "missing" : "is not a mapping of zone name to id"}`);
    } else {
        for (const zone of SharedPrivateDnsZones) {
            const id = (zones as Record<string, unknown>)[zone];
            if (typeof id === "string" && ZoneId.test(id) && id.toLowerCase().endsWith(`/${zone}`)) dnsZoneIds[zone] = id;
            else problems.push(`dnsZoneIds.${zone}: ${id === undefined ? "missing" : `${JSON.stringify(id)} is not that zone's id`}`);
        }
    }
    if (problems.length > 0) {
        throw new pulumi.RunError(`The hub stack ${stack} (aoai:hub.stack) does not report what a spoke needs:\n${problems.map((p) => `  - ${p}`).join("\n")}\nRun pulumi up on the hub first (docs/hub.md), or name the right stack.`);
    }
    return { subscriptionId, resourceGroupName, location, virtualNetworkName, virtualNetworkId, addressSpace, runnerSubnetId, dnsZoneIds };
}

/** Peering is refused between networks whose address spaces overlap; says so before anything is written. */
export function checkSpokeSpace(stack: string, hub: HubOutputs, spokeSpace: string): void {
    const [a, b] = [parseCidr(hub.addressSpace), parseCidr(spokeSpace)] as Cidr[];
    if (cidrsOverlap(a, b)) {
        throw new pulumi.RunError(`aoai:privateEndpoint.vnetAddressSpace ${spokeSpace} overlaps the hub ${stack}'s network ${hub.addressSpace}; Azure refuses to peer overlapping networks. Choose a block outside it.`);
    }
}

/**
 * Reads the hub's outputs through a stack reference (its name is the spoke's `aoai:hub.stack`). The
 * reference is a resource of the spoke, so the plan shows which hub it depends on.
 */
export async function readHub(stack: string): Promise<HubOutputs> {
    const reference = new pulumi.StackReference("hub", { name: stack });
    const entries = await Promise.all(HubOutputKeys.map(async (key) => [key, (await reference.getOutputDetails(key)).value] as const));
    return checkHubOutputs(stack, Object.fromEntries(entries));
}
