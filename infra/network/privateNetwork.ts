import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import type { AccountKind } from "../foundry/kind";
import { vnetIdOfSubnet, zoneShortName } from "../core/naming";
import { JoinedHub, joinHub } from "./hubPeering";
import { linkedPrivateZone, registeredEndpoint } from "./privateLink";
import { PrivateEndpointConfig, privateDnsZones } from "./privateNetwork.config";

export interface PrivateNetworkArgs {
    /** Required. Resource group for everything this component creates. */
    resourceGroupName: pulumi.Input<string>;
    /** Required. Region of the virtual network and the endpoint. */
    location: string;
    /** Required. One endpoint per account: the primary's first, then each secondary region's. */
    accounts: PrivateAccess[];
    /** Required. Subnet and DNS choices from the stack. */
    privateEndpoint: PrivateEndpointConfig;
    /** Required. The accounts' kind, which decides the DNS zones their endpoints register in. */
    kind: AccountKind;
    /** Required. Azure names of the network the stack creates. */
    names: { virtualNetwork: string; privateEndpointSubnet: string; dnsZoneLink: string; gatewaySubnet: string; gatewaySubnetNsg: string; hubPeering: string; hubPeeringBack: string };
    /** Optional. Defaults to none. A subnet for the gateway's outbound integration, created in the stack's network. */
    gatewaySubnetPrefix?: string;
    /** Optional. Defaults to none (a standalone network). The hub the network joins: `privateEndpoint.dnsZone` then holds the hub's zones, and `zones` are the shared zones linked to this network. */
    hub?: { joined: JoinedHub; zones: readonly string[] };
    /** Required. Tags for every taggable resource. */
    tags: Record<string, string>;
}

/** One account reached through the network. */
export interface PrivateAccess {
    /** Empty for the primary; the location for a secondary, which suffixes its logical names. */
    suffix: string;
    /** The account's resource id. */
    accountId: pulumi.Input<string>;
    /** Every write under the account (deployments, projects); its endpoint waits for all of them. */
    writes: pulumi.Resource[];
    /** Azure names of its endpoint, network interface and connection. */
    names: { privateEndpoint: string; privateEndpointNic: string; privateLinkConnection: string };
}

/**
 * Private access to the accounts: an optional virtual network and subnet, the private endpoint
 * (group `account`), the private DNS zones linked to the network (`privatelink.openai.azure.com`, and
 * for a Foundry resource also the Cognitive Services and Foundry zones), and the zone group that
 * registers the endpoint's names in them. With existing zones (hub-and-spoke, DNS owned centrally)
 * only the zone group is created here; the hub links its zones to its networks.
 */
export class PrivateNetwork extends pulumi.ComponentResource {
    public readonly privateEndpoints: network.PrivateEndpoint[];
    public readonly subnetId: pulumi.Output<string>;
    /** The network the endpoints are in; the gateway links its own zone to it. */
    public readonly vnetId: pulumi.Output<string>;
    /** The zones the endpoints register in, the Azure OpenAI zone first. */
    public readonly dnsZoneIds: pulumi.Output<string>[];
    /** The gateway's delegated subnet, when the stack creates one. */
    public readonly gatewaySubnetId?: pulumi.Output<string>;

    constructor(name: string, args: PrivateNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aoai:platform:PrivateNetwork", name, {}, opts);
        const { subnet, dnsZone } = args.privateEndpoint;
        // Writes on the network, in order: Azure refuses a second while one runs (AnotherOperationInProgress).
        const networkWrites: pulumi.Resource[] = [];

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
            networkWrites.push(created);
            if (args.gatewaySubnetPrefix) {
                const gatewaySubnet = this.createGatewaySubnet(name, args, vnet, args.gatewaySubnetPrefix, created);
                this.gatewaySubnetId = gatewaySubnet.id;
                networkWrites.push(gatewaySubnet);
            }
            if (args.hub) {
                networkWrites.push(joinHub(this, name, { hub: args.hub.joined, resourceGroupName: args.resourceGroupName, vnetName: vnet.name, vnetId: vnet.id, zones: args.hub.zones, names: args.names, after: [...networkWrites], tags: args.tags }));
            }
        } else {
            this.vnetId = pulumi.output(vnetIdOfSubnet(subnet.subnetId));
            this.subnetId = pulumi.output(subnet.subnetId);
        }

        // The Azure OpenAI zone keeps the logical name it always had, so an upgrade to AIServices adds the
        // other two zones beside it and replaces nothing; each further zone is named after its service.
        const zoneNames = privateDnsZones(args.kind);
        this.dnsZoneIds = zoneNames.map((zoneName, i) =>
            dnsZone.kind === "create"
                ? linkedPrivateZone(this, i === 0 ? name : `${name}-${zoneShortName(zoneName)}`, { resourceGroupName: args.resourceGroupName, zoneName, linkName: args.names.dnsZoneLink, vnetId: this.vnetId, tags: args.tags })
                : pulumi.output(dnsZone.zoneIds[i]),
        );

        // Every deployment or project write puts the account into "Accepted"; an endpoint created then
        // fails with AccountProvisioningStateInvalid (bicep-registry-modules#5957), so wait for all of
        // them. Every region's account registers in the same zones, under its own subdomain.
        this.privateEndpoints = args.accounts.map((account) =>
            registeredEndpoint(this, name, {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                subnetId: this.subnetId,
                names: account.names,
                serviceId: account.accountId,
                groupId: "account",
                zones: zoneNames.map((zoneName, i) => ({ name: zoneName, id: this.dnsZoneIds[i] })),
                suffix: account.suffix ? `-${account.suffix}` : "",
                // And after the network's last write since the endpoints' own subnet (the gateway's subnet,
                // the hub peering), if any: never two at once.
                dependsOn: [...account.writes, ...networkWrites.slice(1).slice(-1)],
                tags: args.tags,
            }),
        );

        this.registerOutputs({ dnsZoneIds: this.dnsZoneIds });
    }

    /**
     * The API Management gateway's own subnet: delegated to Microsoft.Web/serverFarms, as outbound
     * integration (Standard v2, Premium v2) requires, with a network security group of its own (the
     * default rules: the network and outbound traffic allowed). Written after the endpoints' subnet:
     * Azure refuses two concurrent subnet writes on one network (AnotherOperationInProgress).
     */
    private createGatewaySubnet(name: string, args: PrivateNetworkArgs, vnet: network.VirtualNetwork, prefix: string, after: network.Subnet): network.Subnet {
        const nsg = new network.NetworkSecurityGroup(
            `${name}-gateway-nsg`,
            { resourceGroupName: args.resourceGroupName, networkSecurityGroupName: args.names.gatewaySubnetNsg, location: args.location, tags: args.tags },
            { parent: this },
        );
        const subnet = new network.Subnet(
            `${name}-gateway-subnet`,
            {
                resourceGroupName: args.resourceGroupName,
                virtualNetworkName: vnet.name,
                subnetName: args.names.gatewaySubnet,
                addressPrefix: prefix,
                delegations: [{ name: "apim-outbound", serviceName: "Microsoft.Web/serverFarms" }],
                networkSecurityGroup: { id: nsg.id },
            },
            { parent: this, dependsOn: [after] },
        );
        return subnet;
    }
}
