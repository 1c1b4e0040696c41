import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import { checkLiveKinds } from "./foundry/liveKinds";
import { EnvironmentBudget } from "./operations/budget";
import { deployerPrincipalType } from "./access/deployer";
import type { StackConfig } from "./config";
import { Gateway } from "./gateway/gateway";
import { subscriptionDefenderPlan } from "./protection/defender";
import { gatewayAccessNow } from "./gateway/gatewayAccess";
import { GatewayPrivateDnsZone, subscriptionNames } from "./core/naming";
import type { JoinedHub } from "./network/hubPeering";
import { checkSpokeSpace, readHub } from "./network/hubOutputs";
import { PrivateNetwork } from "./network/privateNetwork";
import { privateDnsZones } from "./network/privateNetwork.config";
import { Region } from "./region";
import { RegionPlan, regionPlans } from "./regions.config";

/** What a deployed stack reports (Contract 2 in docs/design.md); the probe reads these. Never a key. */
export interface StackOutputs {
    resourceGroupName: pulumi.Output<string>;
    accountName: pulumi.Output<string>;
    accountId: pulumi.Output<string>;
    location: string;
    /** `OpenAI`, or `AIServices` for a Foundry resource; either answers Azure OpenAI calls at `endpoint`. */
    kind: string;
    /** `https://<custom-subdomain>.openai.azure.com/` */
    endpoint: pulumi.Output<string>;
    /** With kind AIServices: `https://<custom-subdomain>.services.ai.azure.com/`, the Foundry APIs' endpoint. */
    foundryEndpoint?: pulumi.Output<string>;
    /** With projects: each project's name and its endpoint (`<foundryEndpoint>api/projects/<name>`). */
    projects?: pulumi.Output<{ name: string; endpoint: string }[]>;
    customSubdomain: pulumi.Output<string>;
    publicNetworkAccess: "Enabled" | "Disabled";
    localAuthDisabled: boolean;
    privateEndpoint: boolean;
    deployments: { name: string; model: string; version: string; sku: string; capacity: number; versionUpgradeOption: string }[];
    /** With secondary regions: every region's account, the primary first. */
    regions?: pulumi.Output<{ location: string; accountName: string; endpoint: string; primary: boolean }[]>;
    /** With a gateway: `https://<service>.azure-api.net/`, and the audience its callers' tokens need. */
    gatewayEndpoint?: pulumi.Output<string>;
    gatewayAudience?: string;
    /** With a private gateway: true while it is public only until its private endpoint is approved; run `pulumi up` again. */
    gatewayPrivateAccessPending?: pulumi.Output<boolean>;
    /** With a hub: its stack, and the tools network the runner probes from. */
    hub?: { stack: string; virtualNetworkId: string; runnerSubnetId: string; dnsZoneIds: string[] };
}

/**
 * What `pulumi up` runs (and the offline plan, under mocks): first the checks against Azure as it is
 * (each region's account kind, foundry/liveKinds.ts), then every resource of the environment. A check
 * that fails stops the run before anything is declared.
 */
export async function deployPlatform(config: StackConfig): Promise<StackOutputs> {
    const plans = regionPlans(config);
    await checkLiveKinds(config.kind, plans);
    return declarePlatform(config, plans, await joinedHub(config));
}

/**
 * The hub an environment joins, read through its stack reference before anything else is declared,
 * or undefined for a standalone one. A hub that does not report what a spoke needs, or whose
 * network overlaps the spoke's, stops the program.
 */
export async function joinedHub(config: StackConfig): Promise<JoinedHub | undefined> {
    if (!config.hub || config.privateEndpoint?.subnet.kind !== "create") return undefined;
    const outputs = await readHub(config.hub.stack);
    checkSpokeSpace(config.hub.stack, outputs, config.privateEndpoint.subnet.vnetAddressSpace);
    const { subscriptionId } = await authorization.getClientConfig();
    return { outputs, sameSubscription: subscriptionId.toLowerCase() === outputs.subscriptionId.toLowerCase() };
}

/** Declares every resource of one environment, the primary region first; with a hub, its zones replace the stack's own. */
export function declarePlatform(config: StackConfig, plans: RegionPlan[], hub?: JoinedHub): StackOutputs {
    const names = plans[0].names;

    const tags = { ...config.tags, environment: config.environment };
    const client = authorization.getClientConfigOutput();
    const derived = client.subscriptionId.apply((sub) => subscriptionNames(config, plans.map((p) => p.secondary), config.projects.map((p) => p.name), sub));

    const resourceGroup = new resources.ResourceGroup("resource-group", {
        resourceGroupName: names.resourceGroup,
        location: config.location,
        tags,
    });

    const deployerType = deployerPrincipalType(config.deployerPrincipalType);
    // The primary first: it creates the workspace and the action group the secondaries share.
    const regions: RegionalAccount[] = [];
    plans.forEach((plan, i) => {
        const own = derived.apply((d) => d.regions[i]);
        const region = new Region(`region${plan.secondary ? `-${plan.secondary}` : ""}`, {
            config,
            plan,
            customSubdomain: own.customSubdomain,
            accountIdForNaming: own.accountId,
            vaultName: own.vaultName,
            resourceGroupName: resourceGroup.name,
            client,
            deployerType,
            tags,
            ...(regions[0]?.region.workspaceId ? { sharedWorkspaceId: regions[0].region.workspaceId } : {}),
            ...(regions[0]?.region.actionGroupId ? { sharedActionGroupId: regions[0].region.actionGroupId } : {}),
        });
        regions.push({ plan, region, accountIdForNaming: own.accountId, customSubdomain: own.customSubdomain, endpoint: own.endpoint });
    });
    const primary = regions[0];

    const accountZones = privateDnsZones(config.kind);
    const hubZone = (zone: string) => hub!.outputs.dnsZoneIds[zone];
    const privateNetwork = config.privateEndpoint
        ? new PrivateNetwork("private-network", {
              resourceGroupName: resourceGroup.name,
              location: config.location,
              accounts: regions.map((r) => ({
                  suffix: r.plan.secondary ?? "",
                  accountId: r.region.account.account.id,
                  writes: r.region.account.writes,
                  names: { privateEndpoint: r.plan.names.privateEndpoint, privateEndpointNic: r.plan.names.privateEndpointNic, privateLinkConnection: r.plan.names.privateLinkConnection },
              })),
              privateEndpoint: hub ? { ...config.privateEndpoint, dnsZone: { kind: "existing", zoneIds: accountZones.map(hubZone) } } : config.privateEndpoint,
              kind: config.kind,
              names,
              ...(hub ? { hub: { joined: hub, zones: [...accountZones, ...(config.gateway ? [GatewayPrivateDnsZone] : [])] } } : {}),
              ...(config.gateway?.network.kind === "create" ? { gatewaySubnetPrefix: config.gateway.network.subnetAddressPrefix } : {}),
              tags,
          })
        : undefined;

    const gatewayServiceName = derived.gateway;
    const gatewayNetwork = config.gateway?.network;
    const gateway = config.gateway
        ? new Gateway("gateway", {
              resourceGroupName: resourceGroup.name,
              location: config.location,
              serviceName: gatewayServiceName,
              access: gatewayAccessNow(config.gateway.publicNetworkAccess, names.resourceGroup, gatewayServiceName),
              ...(gatewayNetwork?.kind === "create" ? { outboundSubnetId: privateNetwork!.gatewaySubnetId! } : {}),
              ...(gatewayNetwork?.kind === "existing" ? { outboundSubnetId: gatewayNetwork.subnetId } : {}),
              ...(privateNetwork ? { after: privateNetwork.privateEndpoints } : {}),
              gateway: hub ? { ...config.gateway, dnsZoneId: hubZone(GatewayPrivateDnsZone) } : config.gateway,
              defaultPublisherName: `${config.namePrefix} platform team`,
              tenantId: client.tenantId,
              subscriptionId: client.subscriptionId,
              backends: regions.map((r) => ({ location: r.plan.location, accountId: r.region.account.account.id, accountIdForNaming: r.accountIdForNaming, endpoint: r.endpoint, priority: r.plan.priority })),
              models: Object.fromEntries(config.deployments.map((d) => [d.name, d.model])),
              ...(primary.region.workspaceId
                  ? {
                        usage: {
                            workspaceId: primary.region.workspaceId,
                            names: { insights: names.gatewayInsights, diagnosticSetting: names.gatewayDiagnosticSetting },
                            insightsIdForNaming: client.subscriptionId.apply((sub) => `/subscriptions/${sub}/resourceGroups/${names.resourceGroup}/providers/Microsoft.Insights/components/${names.gatewayInsights}`),
                        },
                    }
                  : {}),
              ...(privateNetwork
                  ? {
                        privateNetwork: {
                            subnetId: privateNetwork.subnetId,
                            vnetId: privateNetwork.vnetId,
                            names: { privateEndpoint: names.gatewayPrivateEndpoint, privateEndpointNic: names.gatewayPrivateEndpointNic, dnsZoneLink: names.gatewayDnsZoneLink },
                        },
                    }
                  : {}),
              tags,
          })
        : undefined;

    if (config.defenderForAI.subscriptionPlan) subscriptionDefenderPlan("defender-plan", client.subscriptionId);

    if (config.budget) {
        new EnvironmentBudget("budget", {
            resourceGroupId: resourceGroup.id,
            budgetName: names.budget,
            budget: config.budget,
            ...(primary.region.actionGroupId ? { actionGroupId: primary.region.actionGroupId } : {}),
        });
    }

    return {
        resourceGroupName: resourceGroup.name,
        accountName: primary.region.account.account.name,
        accountId: primary.region.account.account.id,
        location: config.location,
        kind: config.kind,
        endpoint: primary.endpoint,
        ...(config.kind === "AIServices" ? { foundryEndpoint: derived.foundryEndpoint } : {}),
        ...(config.projects.length > 0 ? { projects: derived.projectEndpoints } : {}),
        customSubdomain: primary.customSubdomain,
        publicNetworkAccess: config.network.publicNetworkAccess,
        localAuthDisabled: config.disableLocalAuth,
        privateEndpoint: config.privateEndpoint !== undefined,
        deployments: config.deployments.map((d) => ({
            name: d.name,
            model: d.model,
            version: d.version,
            sku: d.sku,
            capacity: d.capacity,
            versionUpgradeOption: d.versionUpgradeOption,
        })),
        ...(regions.length > 1
            ? { regions: pulumi.output(regions.map((r, i) => ({ location: r.plan.location, accountName: r.plan.names.account, endpoint: r.endpoint, primary: i === 0 }))) }
            : {}),
        ...(gateway ? { gatewayEndpoint: gateway.endpoint, gatewayAudience: config.gateway!.audience, gatewayPrivateAccessPending: gateway.privateAccessPending } : {}),
        ...(hub
            ? {
                  hub: {
                      stack: config.hub!.stack,
                      virtualNetworkId: hub.outputs.virtualNetworkId,
                      runnerSubnetId: hub.outputs.runnerSubnetId,
                      dnsZoneIds: [...accountZones, ...(config.gateway ? [GatewayPrivateDnsZone] : [])].map(hubZone),
                  },
              }
            : {}),
    };
}

/** One region as the rest of the stack refers to it. */
interface RegionalAccount {
    plan: RegionPlan;
    region: Region;
    /** The account's id known before it exists. */
    accountIdForNaming: pulumi.Output<string>;
    customSubdomain: pulumi.Output<string>;
    endpoint: pulumi.Output<string>;
}
