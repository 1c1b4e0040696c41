/**
 * The two private-link patterns both the accounts and the gateway use: a private DNS zone linked to a
 * network, and a private endpoint registered in a zone. Logical names stay those of the calling
 * component (`<name>-dns-zone`, `<name>-endpoint<suffix>`), children of it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";

interface Common {
    /** Required. Resource group of what is created. */
    resourceGroupName: pulumi.Input<string>;
    /** Required. Tags for what is created. */
    tags: Record<string, string>;
}

/** A private DNS zone and its link to the network; returns the zone's id. */
export function linkedPrivateZone(parent: pulumi.Resource, name: string, args: Common & { zoneName: string; linkName: string; vnetId: pulumi.Input<string>; after?: pulumi.Resource[] }): pulumi.Output<string> {
    const zone = new privatedns.PrivateZone(
        `${name}-dns-zone`,
        { resourceGroupName: args.resourceGroupName, privateZoneName: args.zoneName, location: "global", tags: args.tags },
        { parent },
    );
    new privatedns.VirtualNetworkLink(
        `${name}-dns-link`,
        {
            resourceGroupName: args.resourceGroupName,
            privateZoneName: zone.name,
            virtualNetworkLinkName: args.linkName,
            location: "global",
            virtualNetwork: { id: args.vnetId },
            // The zone only holds endpoints' A records; VMs must not register themselves in it.
            registrationEnabled: false,
            tags: args.tags,
        },
        { parent, ...(args.after ? { dependsOn: args.after } : {}) },
    );
    return zone.id;
}

export interface RegisteredEndpointArgs extends Common {
    /** Required. Region of the endpoint (its network's). */
    location: string;
    /** Required. The subnet it takes an address in. */
    subnetId: pulumi.Input<string>;
    /** Required. Azure names of the endpoint, its network interface and its connection. */
    names: { privateEndpoint: string; privateEndpointNic: string; privateLinkConnection: string };
    /** Required. The resource reached. */
    serviceId: pulumi.Input<string>;
    /** Required. Its sub-resource: `account` for an account, `Gateway` for API Management. */
    groupId: string;
    /** Required. The zones the endpoint's names are registered in (name and id), all in its one zone group. */
    zones: { name: string; id: pulumi.Input<string> }[];
    /** Required. Appended to the logical names ("" for the first), for more endpoints of one component. */
    suffix: string;
    /** Required. What the endpoint and its zone group wait for; may be empty. */
    dependsOn: pulumi.Resource[];
}

/** A private endpoint into the subnet, and the zone group that registers its addresses. */
export function registeredEndpoint(parent: pulumi.Resource, name: string, args: RegisteredEndpointArgs): network.PrivateEndpoint {
    const endpoint = new network.PrivateEndpoint(
        `${name}-endpoint${args.suffix}`,
        {
            resourceGroupName: args.resourceGroupName,
            privateEndpointName: args.names.privateEndpoint,
            location: args.location,
            subnet: { id: args.subnetId },
            customNetworkInterfaceName: args.names.privateEndpointNic,
            privateLinkServiceConnections: [{ name: args.names.privateLinkConnection, privateLinkServiceId: args.serviceId, groupIds: [args.groupId] }],
            tags: args.tags,
        },
        { parent, dependsOn: args.dependsOn },
    );
    new network.PrivateDnsZoneGroup(
        `${name}-dns-zone-group${args.suffix}`,
        {
            resourceGroupName: args.resourceGroupName,
            privateEndpointName: endpoint.name,
            privateDnsZoneGroupName: "default",
            privateDnsZoneConfigs: args.zones.map((zone) => ({ name: zone.name.replace(/\./g, "-"), privateDnsZoneId: zone.id })),
        },
        { parent, dependsOn: args.dependsOn },
    );
    return endpoint;
}
