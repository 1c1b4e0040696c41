import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { OpenAiPrivateDnsZone, vnetIdOfSubnet } from "./naming";
import type { PrivateEndpointConfig } from "./privateNetwork.config";

export interface PrivateNetworkArgs {
    /** Required. Resource group for everything this component creates. */
    resourceGroupName: pulumi.Input<string>;
    /** Required. Region of the virtual network and the endpoint. */
    location: string;
    /** Required. The account's resource id. */
    accountId: pulumi.Input<string>;
    /** Required. Every model deployment of the account; the endpoint waits for all of them. */
    deployments: pulumi.Resource[];
    /** Required. Subnet and DNS choices from the stack. */
    privateEndpoint: PrivateEndpointConfig;
    /** Required. Azure names for the created resources. */
    names: {
        virtualNetwork: string;
        privateEndpointSubnet: string;
        privateEndpoint: string;
        privateEndpointNic: string;
        privateLinkConnection: string;
        dnsZoneLink: string;
    };
    /** Required. Tags for every taggable resource. */
    tags: Record<string, string>;
}

/**
 * Private access to the account: an optional virtual network and subnet, the private endpoint
 * (group `account`), the `privatelink.openai.azure.com` zone linked to the network, and the zone
 * group that registers the endpoint's address in it. With an existing zone (hub-and-spoke, DNS owned
 * centrally) only the zone group is created here; the hub links its zone to its networks.
 */
export class PrivateNetwork extends pulumi.ComponentResource {
    public readonly privateEndpoint: network.PrivateEndpoint;
    public readonly subnetId: pulumi.Output<string>;
    public readonly dnsZoneId: pulumi.Output<string>;

    constructor(name: string, args: PrivateNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aoai:platform:PrivateNetwork", name, {}, opts);
        const { subnet, dnsZone } = args.privateEndpoint;

        let vnetId: pulumi.Input<string>;
        if (subnet.kind === "create") {
            const vnet = new network.VirtualNetwork(
                `${name}-vnet`,
                {
                    resourceGroupName: args.resourceGroupName,
                    virtualNetworkName: args.names.virtualNetwork,
                    location: args.location,
                    addressSpace: { addressPrefixes: [subnet.vnetAddressSpace] },
                    tags: args.tags,
                },
                // Subnets are managed as their own resources; an inline list here would fight them.
                { parent: this, ignoreChanges: ["subnets"] },
            );
            const created = new network.Subnet(
                `${name}-subnet`,
                {
                    resourceGroupName: args.resourceGroupName,
                    virtualNetworkName: vnet.name,
                    subnetName: args.names.privateEndpointSubnet,
                    addressPrefix: subnet.subnetAddressPrefix,
                    privateEndpointNetworkPolicies: network.VirtualNetworkPrivateEndpointNetworkPolicies.Disabled,
                    // No default outbound internet access: this subnet only hosts private endpoints.
                    defaultOutboundAccess: false,
                },
                { parent: this },
            );
            vnetId = vnet.id;
            this.subnetId = created.id;
        } else {
            vnetId = vnetIdOfSubnet(subnet.subnetId);
            this.subnetId = pulumi.output(subnet.subnetId);
        }

        if (dnsZone.kind === "create") {
            const zone = new privatedns.PrivateZone(
                `${name}-dns-zone`,
                { resourceGroupName: args.resourceGroupName, privateZoneName: OpenAiPrivateDnsZone, location: "global", tags: args.tags },
                { parent: this },
            );
            new privatedns.VirtualNetworkLink(
                `${name}-dns-link`,
                {
                    resourceGroupName: args.resourceGroupName,
                    privateZoneName: zone.name,
                    virtualNetworkLinkName: args.names.dnsZoneLink,
                    location: "global",
                    virtualNetwork: { id: vnetId },
                    // The zone only holds the endpoint's A record; VMs must not register themselves in it.
                    registrationEnabled: false,
                    tags: args.tags,
                },
                { parent: this },
            );
            this.dnsZoneId = zone.id;
        } else {
            this.dnsZoneId = pulumi.output(dnsZone.zoneId);
        }

        // Every deployment write puts the account into "Accepted"; an endpoint created then fails with
        // AccountProvisioningStateInvalid (bicep-registry-modules#5957), so wait for all of them.
        this.privateEndpoint = new network.PrivateEndpoint(
            `${name}-endpoint`,
            {
                resourceGroupName: args.resourceGroupName,
                privateEndpointName: args.names.privateEndpoint,
                location: args.location,
                subnet: { id: this.subnetId },
                customNetworkInterfaceName: args.names.privateEndpointNic,
                privateLinkServiceConnections: [
                    { name: args.names.privateLinkConnection, privateLinkServiceId: args.accountId, groupIds: ["account"] },
                ],
                tags: args.tags,
            },
            { parent: this, dependsOn: args.deployments },
        );

        new network.PrivateDnsZoneGroup(
            `${name}-dns-zone-group`,
            {
                resourceGroupName: args.resourceGroupName,
                privateEndpointName: this.privateEndpoint.name,
                privateDnsZoneGroupName: "default",
                privateDnsZoneConfigs: [{ name: OpenAiPrivateDnsZone.replace(/\./g, "-"), privateDnsZoneId: this.dnsZoneId }],
            },
            { parent: this, dependsOn: args.deployments },
        );

        this.registerOutputs({ privateEndpointId: this.privateEndpoint.id, dnsZoneId: this.dnsZoneId });
    }
}
