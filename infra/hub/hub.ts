/**
 * The hub (docs/hub.md): the private DNS zones every environment shares, and the tools network the
 * deploy workflow's self-hosted runner sits in, with egress for the runner and each zone linked to
 * the network. Environments join it (aoai:hub) by peering their networks with this one and linking
 * these zones to theirs; this stack holds no environment's resources.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import { SharedPrivateDnsZones, hubNames, zoneShortName } from "../core/naming";
import type { HubOutputs } from "../network/hubOutputs";
import { linkedPrivateZone } from "../network/privateLink";
import type { HubConfig } from "./hub.config";

export interface ToolsNetworkArgs {
    /** Required. The hub's validated configuration. */
    config: HubConfig;
    /** Required. The hub's resource group. */
    resourceGroupName: pulumi.Input<string>;
    /** Required. Tags for every taggable resource. */
    tags: Record<string, string>;
}

/** The tools network: the runner's subnet, its egress, and every shared zone linked to the network. */
export class ToolsNetwork extends pulumi.ComponentResource {
    public readonly vnet: network.VirtualNetwork;
    public readonly runnerSubnet: network.Subnet;
    /** The runner's one outbound address (for allow lists), with a NAT gateway. */
    public readonly outboundAddress?: pulumi.Output<string>;
    /** Each shared zone's id, by zone name. */
    public readonly dnsZoneIds: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: ToolsNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aoai:hub:ToolsNetwork", name, {}, opts);
        const { config, resourceGroupName, tags } = args;
        const names = hubNames(config);
        const common = { resourceGroupName, location: config.location, tags };

        this.vnet = new network.VirtualNetwork(
            `${name}-vnet`,
            { ...common, virtualNetworkName: names.virtualNetwork, addressSpace: { addressPrefixes: [config.addressSpace] } },
            // Subnets and the spokes' peerings are resources of their own; inline lists here would fight them.
            { parent: this, ignoreChanges: ["subnets", "virtualNetworkPeerings"] },
        );
        // Azure's default rules: traffic within the network and its peerings allowed, nothing in from the internet.
        const nsg = new network.NetworkSecurityGroup(`${name}-runner-nsg`, { ...common, networkSecurityGroupName: names.runnerSubnetNsg }, { parent: this });
        let natGateway: network.NatGateway | undefined;
        if (config.runnerOutbound === "natGateway") {
            const ip = new network.PublicIPAddress(
                `${name}-nat-ip`,
                { ...common, publicIpAddressName: names.natPublicIp, sku: { name: "Standard" }, publicIPAllocationMethod: "Static", publicIPAddressVersion: "IPv4" },
                { parent: this },
            );
            natGateway = new network.NatGateway(
                `${name}-nat`,
                { ...common, natGatewayName: names.natGateway, sku: { name: "Standard" }, publicIpAddresses: [{ id: ip.id }] },
                { parent: this },
            );
            this.outboundAddress = ip.ipAddress.apply((a) => a ?? "");
        }
        this.runnerSubnet = new network.Subnet(
            `${name}-runner-subnet`,
            {
                resourceGroupName,
                virtualNetworkName: this.vnet.name,
                subnetName: names.runnerSubnet,
                addressPrefix: config.runnerSubnetPrefix,
                networkSecurityGroup: { id: nsg.id },
                ...(natGateway ? { natGateway: { id: natGateway.id } } : {}),
                // Egress only through the NAT gateway, or the platform team's own route: never Azure's implicit default.
                defaultOutboundAccess: false,
            },
            { parent: this },
        );
        // Every shared zone, linked to this network after its subnet (one write on a network at a time):
        // the runner's machines resolve each environment's private endpoints through them.
        this.dnsZoneIds = Object.fromEntries(
            SharedPrivateDnsZones.map((zoneName) => [
                zoneName,
                linkedPrivateZone(this, `${name}-${zoneShortName(zoneName)}`, {
                    resourceGroupName,
                    zoneName,
                    linkName: names.dnsZoneLink,
                    vnetId: this.vnet.id,
                    tags,
                    after: [this.runnerSubnet],
                }),
            ]),
        );
        this.registerOutputs({ dnsZoneIds: this.dnsZoneIds });
    }
}

/** What the hub stack reports: Contract 5 (HubOutputs), and the runner's outbound address. */
export type HubStackOutputs = { [K in keyof HubOutputs]: pulumi.Input<HubOutputs[K]> } & { runnerOutboundAddress?: pulumi.Output<string> };

/** Declares the hub: its resource group and the tools network. */
export function declareHub(config: HubConfig): HubStackOutputs {
    const names = hubNames(config);
    const tags = { ...config.tags, environment: config.environment };
    const client = authorization.getClientConfigOutput();
    const resourceGroup = new resources.ResourceGroup("resource-group", { resourceGroupName: names.resourceGroup, location: config.location, tags });
    const tools = new ToolsNetwork("tools", { config, resourceGroupName: resourceGroup.name, tags });
    return {
        subscriptionId: client.subscriptionId,
        resourceGroupName: resourceGroup.name,
        location: config.location,
        virtualNetworkName: tools.vnet.name,
        virtualNetworkId: tools.vnet.id,
        addressSpace: config.addressSpace,
        runnerSubnetId: tools.runnerSubnet.id,
        dnsZoneIds: pulumi.all(tools.dnsZoneIds),
        ...(tools.outboundAddress ? { runnerOutboundAddress: tools.outboundAddress } : {}),
    };
}
