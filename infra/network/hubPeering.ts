/**
 * A spoke's side of joining a hub: its network peered with the hub's tools network in both
 * directions, and each shared zone the spoke's endpoints register in linked to the spoke's network
 * (so the gateway's outbound subnet and the applications in the spoke resolve them). The hub links
 * the same zones to its own network, which is how the runner there resolves them. The zones are the
 * hub's; the spoke never creates one of their names (one network cannot be linked to two zones of
 * one name, and a runner could then resolve only one environment).
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { zoneShortName } from "../core/naming";
import type { HubOutputs } from "./hubOutputs";

export interface JoinedHub {
    /** The hub's outputs, read before anything was declared. */
    outputs: HubOutputs;
    /** False when the hub is in another subscription: its side (peering back, zone links) is then its owner's to write. */
    sameSubscription: boolean;
}

export interface HubPeeringArgs {
    /** Required. The hub joined, as read before anything was declared. */
    hub: JoinedHub;
    /** Required. The spoke's resource group. */
    resourceGroupName: pulumi.Input<string>;
    /** Required. The spoke's network, by name (its peering is a child of it). */
    vnetName: pulumi.Input<string>;
    /** Required. The spoke's network, by id (the hub's side and the zone links name it). */
    vnetId: pulumi.Input<string>;
    /** Required. The shared zones the spoke's endpoints register in (the accounts', and the gateway's when it has one). */
    zones: readonly string[];
    /** Required. Azure names of the two peerings and of the spoke's link on each zone. */
    names: { hubPeering: string; hubPeeringBack: string; dnsZoneLink: string };
    /** Required. Every earlier write on the spoke's network (its subnets): Azure takes one write on a network at a time. */
    after: pulumi.Resource[];
    /** Required. Tags for the zone links. */
    tags: Record<string, string>;
}

/** Declares the peerings and links as children of `parent`; returns the spoke-side peering, which later writes on the network wait for. */
export function joinHub(parent: pulumi.Resource, name: string, args: HubPeeringArgs): network.VirtualNetworkPeering {
    const hub = args.hub.outputs;
    const peering = (logical: string, rg: pulumi.Input<string>, vnet: pulumi.Input<string>, peeringName: string, remoteId: pulumi.Input<string>, dependsOn: pulumi.Resource[]) =>
        new network.VirtualNetworkPeering(
            logical,
            {
                resourceGroupName: rg,
                virtualNetworkName: vnet,
                virtualNetworkPeeringName: peeringName,
                remoteVirtualNetwork: { id: remoteId },
                allowVirtualNetworkAccess: true,
                // The runner calls endpoints in the spoke and nothing more: no transit, no gateways.
                allowForwardedTraffic: false,
                allowGatewayTransit: false,
                useRemoteGateways: false,
            },
            { parent, dependsOn },
        );
    const toHub = peering(`${name}-hub-peering`, args.resourceGroupName, args.vnetName, args.names.hubPeering, hub.virtualNetworkId, args.after);
    if (!args.hub.sameSubscription) return toHub;

    // The hub's network takes one write at a time too; the other spokes' peerings are ordered by the
    // deploy workflow running one environment at a time (docs/deploy-hazards.md).
    peering(`${name}-hub-peering-back`, hub.resourceGroupName, hub.virtualNetworkName, args.names.hubPeeringBack, args.vnetId, [toHub]);
    for (const zone of args.zones) {
        new privatedns.VirtualNetworkLink(
            `${name}-hub-link-${zoneShortName(zone)}`,
            {
                resourceGroupName: hub.resourceGroupName,
                privateZoneName: zone,
                virtualNetworkLinkName: args.names.dnsZoneLink,
                location: "global",
                virtualNetwork: { id: args.vnetId },
                registrationEnabled: false,
                tags: args.tags,
            },
            { parent, dependsOn: [toHub] },
        );
    }
    return toHub;
}
