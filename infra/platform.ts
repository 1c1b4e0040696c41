import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import { checkLiveKinds } from "./accountKind";
import { EnvironmentBudget } from "./budget";
import { deployerPrincipalType } from "./deployer";
import type { StackConfig } from "./config";
import { Gateway } from "./gateway";
import { readLiveGateway } from "./gatewayAccess";
import { foundryEndpoint, gatewayName, projectEndpoint, resourceNames } from "./naming";
import { PrivateNetwork } from "./privateNetwork";
import { StackContext, createRegionalAccount, grantAccess, regionPlans, watchLogs, watchMetrics } from "./region";

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
}

/**
 * What `pulumi up` runs: first the checks against Azure as it is (an account's kind), then every
 * resource. A check that fails stops the run before anything is declared.
 */
export async function deployPlatform(config: StackConfig): Promise<StackOutputs> {
    await checkLiveKinds(config);
    return createPlatform(config);
}

/** Declares every resource of one environment from its validated configuration. */
export function createPlatform(config: StackConfig): StackOutputs {
    const names = resourceNames(config);
    const tags = { ...config.tags, environment: config.environment };
    const client = authorization.getClientConfigOutput();

    const resourceGroup = new resources.ResourceGroup("resource-group", {
        resourceGroupName: names.resourceGroup,
        location: config.location,
        tags,
    });

    const ctx: StackContext = { config, resourceGroupName: resourceGroup.name, client, deployerType: deployerPrincipalType(config.deployerPrincipalType), tags };
    const regions = regionPlans(config).map((plan) => createRegionalAccount(ctx, plan));
    const primary = regions[0];

    const privateNetwork = config.privateEndpoint
        ? new PrivateNetwork("private-network", {
              resourceGroupName: resourceGroup.name,
              location: config.location,
              accounts: regions.map((r) => {
                  const own = resourceNames(config, r.plan.secondary);
                  return {
                      suffix: r.plan.secondary ?? "",
                      accountId: r.openai.account.id,
                      writes: r.openai.writes,
                      names: { privateEndpoint: own.privateEndpoint, privateEndpointNic: own.privateEndpointNic, privateLinkConnection: own.privateLinkConnection },
                  };
              }),
              privateEndpoint: config.privateEndpoint,
              kind: config.kind,
              names,
              ...(config.gateway?.network.kind === "create" ? { gatewaySubnetPrefix: config.gateway.network.subnetAddressPrefix } : {}),
              tags,
          })
        : undefined;

    for (const region of regions) grantAccess(ctx, region);
    // The primary creates the workspace and the action group; the secondaries share them.
    const workspaceId = watchLogs(ctx, primary);
    for (const region of regions.slice(1)) watchLogs(ctx, region, workspaceId);
    const actionGroupId = watchMetrics(ctx, primary);
    for (const region of regions.slice(1)) watchMetrics(ctx, region, actionGroupId);

    const gatewayServiceName = client.subscriptionId.apply((sub) => gatewayName(config, sub));
    const gatewayNetwork = config.gateway?.network;
    const gateway = config.gateway
        ? new Gateway("gateway", {
              resourceGroupName: resourceGroup.name,
              location: config.location,
              serviceName: gatewayServiceName,
              live: readLiveGateway(names.resourceGroup, gatewayServiceName),
              ...(gatewayNetwork?.kind === "create" ? { outboundSubnetId: privateNetwork!.gatewaySubnetId! } : {}),
              ...(gatewayNetwork?.kind === "existing" ? { outboundSubnetId: gatewayNetwork.subnetId } : {}),
              gateway: config.gateway,
              defaultPublisherName: `${config.namePrefix} platform team`,
              tenantId: client.tenantId,
              subscriptionId: client.subscriptionId,
              backends: regions.map((r) => ({ location: r.plan.location, accountId: r.openai.account.id, accountIdForNaming: r.accountIdForNaming, endpoint: r.endpoint, priority: r.plan.priority })),
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

    if (config.budget) {
        new EnvironmentBudget("budget", {
            resourceGroupId: resourceGroup.id,
            budgetName: names.budget,
            budget: config.budget,
            ...(actionGroupId ? { actionGroupId } : {}),
        });
    }

    return {
        resourceGroupName: resourceGroup.name,
        accountName: primary.openai.account.name,
        accountId: primary.openai.account.id,
        location: config.location,
        kind: config.kind,
        endpoint: primary.endpoint,
        ...(config.kind === "AIServices" ? { foundryEndpoint: primary.customSubdomain.apply(foundryEndpoint) } : {}),
        ...(config.projects.length > 0
            ? { projects: primary.customSubdomain.apply((sub) => config.projects.map((p) => ({ name: p.name, endpoint: projectEndpoint(sub, p.name) }))) }
            : {}),
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
            ? { regions: pulumi.output(regions.map((r, i) => ({ location: r.plan.location, accountName: r.accountName, endpoint: r.endpoint, primary: i === 0 }))) }
            : {}),
        ...(gateway ? { gatewayEndpoint: gateway.endpoint, gatewayAudience: config.gateway!.audience, gatewayPrivateAccessPending: gateway.privateAccessPending } : {}),
    };
}
