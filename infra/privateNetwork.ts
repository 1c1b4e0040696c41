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
    /** Required. One endpoint per account: the primary's first, then each secondary region's. */
    accounts: PrivateAccess[];
    /** Required. Subnet and DNS choices from the stack. */
    privateEndpoint: PrivateEndpointConfig;
    /** Required. Azure names of the network the stack creates. */
    names: { virtualNetwork: string; privateEndpointSubnet: string; dnsZoneLink: string };
    /** Required. Tags for every taggable resource. */
    tags: Record<string, string>;
}

/** One account reached through the network. */
export interface PrivateAccess {
    /** Empty for the primary; the location for a secondary, which suffixes its logical names. */
    suffix: string;
    /** The account's resource id. */
    accountId: pulumi.Input<string>;
    /** Every model deployment of the account; its endpoint waits for all of them. */
    deployments: pulumi.Resource[];
    /** Azure names of its endpoint, network interface and connection. */
    names: { privateEndpoint: string; privateEndpointNic: string; privateLinkConnection: string };
}

/**
 * Private access to the accounts: an optional virtual network and subnet, the private endpoint
 * (group `account`), the `privatelink.openai.azure.com` zone linked to the network, and the zone
 * group that registers the endpoint's address in it. With an existing zone (hub-and-spoke, DNS owned
 * centrally) only the zone group is created here; the hub links its zone to its networks.
 */
export class PrivateNetwork extends pulumi.ComponentResource {
    public readonly privateEndpoints: network.PrivateEndpoint[];
    public readonly subnetId: pulumi.Output<string>;
    /** The network the endpoints are in; the gateway links its own zone to it. */
    public readonly vnetId: pulumi.Output<string>;
    public readonly dnsZoneId: pulumi.Output<string>;

    constructor(name: string, args: PrivateNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aoai:platform:PrivateNetwork", name, {}, opts);
        const { subnet, dnsZone } = args.privateEndpoint;

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
            this.vnetId = vnet.id;
            this.subnetId = created.id;
        } else {
            this.vnetId = pulumi.output(vnetIdOfSubnet(subnet.subnetId));
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
                    virtualNetwork: { id: this.vnetId },
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
        this.privateEndpoints = args.accounts.map((account) => {
            const suffix = account.suffix ? `-${account.suffix}` : "";
            const endpoint = new network.PrivateEndpoint(
                `${name}-endpoint${suffix}`,
                {
                    resourceGroupName: args.resourceGroupName,
                    privateEndpointName: account.names.privateEndpoint,
                    location: args.location,
                    subnet: { id: this.subnetId },
                    customNetworkInterfaceName: account.names.privateEndpointNic,
                    privateLinkServiceConnections: [
                        { name: account.names.privateLinkConnection, privateLinkServiceId: account.accountId, groupIds: ["account"] },
                    ],
                    tags: args.tags,
                },
                { parent: this, dependsOn: account.deployments },
            );
            // Every region's account registers in the same zone, under its own subdomain.
            new network.PrivateDnsZoneGroup(
                `${name}-dns-zone-group${suffix}`,
                {
                    resourceGroupName: args.resourceGroupName,
                    privateEndpointName: endpoint.name,
                    privateDnsZoneGroupName: "default",
                    privateDnsZoneConfigs: [{ name: OpenAiPrivateDnsZone.replace(/\./g, "-"), privateDnsZoneId: this.dnsZoneId }],
                },
                { parent: this, dependsOn: account.deployments },
            );
            return endpoint;
        });

        this.registerOutputs({ dnsZoneId: this.dnsZoneId });
    }
}
