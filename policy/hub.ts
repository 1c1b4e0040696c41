/**
 * The hub guardrails (docs/hub.md): the hub holds every shared private DNS zone, linked to its tools
 * network, and lets the runner out only through what it declares; an environment that joins a hub
 * holds none of those zones itself and is peered with the hub both ways, so the runner in the hub
 * resolves and reaches every endpoint the environment has.
 */
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { SharedPrivateDnsZones } from "../infra/core/naming";
import { RequiredSwitch, isRequired } from "./accounts";

const zoneName = (r: PolicyResource) => String(r.props.privateZoneName ?? r.props.name ?? "");
const lower = (s: unknown) => String(s ?? "").toLowerCase();
const last = (id: unknown) => lower(id).split("/").pop() ?? "";

export const hubSharedZones: StackValidationPolicy = {
    name: "hub-shared-zones",
    description:
        "Pitfall: one network can be linked to only one private DNS zone of a name, so a runner can resolve only one environment's endpoints unless the zones live once, in a hub. Where the hub's policy config sets required, the stack declares every shared zone (Azure OpenAI, Cognitive Services, Foundry, API Management, Key Vault), each linked to the tools network without auto-registration, and the runner's subnet has a network security group and no default outbound access.",
    enforcementLevel: "advisory",
    configSchema: RequiredSwitch,
    validateStack: (args, reportViolation) => {
        if (!isRequired(args)) return;
        const vnets = args.resources.filter((r) => r.isType(network.VirtualNetwork));
        const links = args.resources.filter((r) => r.isType(privatedns.VirtualNetworkLink));
        for (const zone of SharedPrivateDnsZones) {
            if (!args.resources.some((r) => r.isType(privatedns.PrivateZone) && zoneName(r) === zone)) {
                reportViolation(`The hub declares no ${zone} zone; every environment's endpoints of that kind would resolve publicly from the runner.`);
                continue;
            }
            const link = links.find((l) => String(l.props.privateZoneName) === zone && vnets.some((v) => last(l.props.virtualNetwork?.id) === lower(v.props.virtualNetworkName ?? v.props.name)));
            if (!link) reportViolation(`The ${zone} zone is not linked to the hub's tools network; the runner could not resolve it.`);
            else if (link.props.registrationEnabled !== false) reportViolation(`The ${zone} zone's link registers virtual machines' records; set registrationEnabled: false (the zone holds only private endpoints' records).`, link.urn);
        }
        for (const subnet of args.resources.filter((r) => r.isType(network.Subnet))) {
            if (!subnet.props.networkSecurityGroup?.id) reportViolation(`Subnet ${subnet.props.subnetName} has no network security group.`, subnet.urn);
            if (subnet.props.defaultOutboundAccess !== false) reportViolation(`Subnet ${subnet.props.subnetName} keeps Azure's default outbound access; egress goes through the NAT gateway or the platform team's route (defaultOutboundAccess: false).`, subnet.urn);
        }
    },
};

export const sharedDnsFromHub: StackValidationPolicy = {
    name: "shared-dns-from-hub",
    description:
        "Pitfall: an environment that creates its own privatelink zones can never be resolved from a runner that resolves another environment's, and one that is not peered with the hub both ways cannot be reached from it. Where the stack's policy config sets required (prod, staging), the stack declares none of the hub's shared zones, and every network that holds its private endpoints is peered with another network in both directions.",
    enforcementLevel: "advisory",
    configSchema: RequiredSwitch,
    validateStack: (args, reportViolation) => {
        if (!isRequired(args)) return;
        for (const zone of args.resources.filter((r) => r.isType(privatedns.PrivateZone) && (SharedPrivateDnsZones as readonly string[]).includes(zoneName(r)))) {
            reportViolation(`The stack creates its own ${zoneName(zone)} zone, which the hub holds; join the hub (aoai:hub) so the endpoints register in its zone.`, zone.urn);
        }
        const peerings = args.resources.filter((r) => r.isType(network.VirtualNetworkPeering));
        const endpointNetworks = new Set(
            args.resources.filter((r) => r.isType(network.PrivateEndpoint)).map((pe) => lower(pe.props.subnet?.id).replace(/\/subnets\/[^/]+$/, "")),
        );
        for (const vnet of endpointNetworks) {
            const out = peerings.find((p) => lower(p.props.virtualNetworkName) === last(vnet));
            const back = out && peerings.find((p) => lower(p.props.remoteVirtualNetwork?.id) === vnet && last(out.props.remoteVirtualNetwork?.id) === lower(p.props.virtualNetworkName));
            if (!out) reportViolation(`Network ${last(vnet)} holds private endpoints and is peered with no hub; the deploy runner cannot reach them (aoai:hub).`);
            else if (!back) reportViolation(`Network ${last(vnet)} peers with ${last(out.props.remoteVirtualNetwork?.id)}, which is not peered back; the hub's owner must add that side.`);
        }
    },
};
