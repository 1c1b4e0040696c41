import * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import { AccountAccess } from "../access/access";
import { GatewayAccess, GatewayBootstrapTag, GatewayBootstrapValue } from "./gatewayAccess";
import { GatewayConfig, gatewayAudiences } from "./gateway.config";
import { gatewayPolicyXml } from "./gatewayPolicy";
import { teamProducts } from "./teamProducts";
import { GatewayUsage, gatewayLogs } from "./gatewayUsage";
import { GatewayOperations } from "./operations";
import { GatewayPrivateDnsZone, gatewayEndpoint } from "../core/naming";
import { linkedPrivateZone, registeredEndpoint } from "../network/privateLink";
import { ChatCallerRole } from "../access/roles";

/** One region's account behind the gateway. */
export interface GatewayBackend {
    /** The region's location; names its backend. */
    location: string;
    /** The account's resource id, where the gateway's identity gets its role. */
    accountId: pulumi.Input<string>;
    /** The account's id known ahead of creation; seeds the role assignment's name. */
    accountIdForNaming: pulumi.Input<string>;
    /** `https://<subdomain>.openai.azure.com/` */
    endpoint: pulumi.Input<string>;
    /** Pool priority: 1 for the primary, larger is tried later. */
    priority: number;
}

export interface GatewayArgs {
    /** Required. Resource group of the service and its private endpoint. */
    resourceGroupName: pulumi.Input<string>;
    /** Required. The primary's region, where the service runs. */
    location: string;
    /** Required. The service's name, which is its global host name (naming.ts). */
    serviceName: pulumi.Input<string>;
    /** Required. SKU, callers' authentication, retries and breaker from the stack. */
    gateway: GatewayConfig;
    /** Required. Shown as the API's publisher when `gateway.publisherName` is not set. */
    defaultPublisherName: string;
    /** Required. Tenant of the callers' Entra ID tokens. */
    tenantId: pulumi.Input<string>;
    /** Required. Subscription the role definitions are read from. */
    subscriptionId: pulumi.Input<string>;
    /** Required. Every region's account, primary first. */
    backends: GatewayBackend[];
    /** Optional. Defaults to none: no private endpoint. The stack's network, for one into the gateway. */
    privateNetwork?: { subnetId: pulumi.Input<string>; vnetId: pulumi.Input<string>; names: { privateEndpoint: string; privateEndpointNic: string; dnsZoneLink: string } };
    /** Optional. Defaults to none: calls leave from the public side. The delegated subnet its calls to the accounts leave from. */
    outboundSubnetId?: pulumi.Input<string>;
    /** Required. Its public access as Azure lets it be now (gatewayAccess.ts): closed only once its private endpoint is approved. */
    access: pulumi.Input<GatewayAccess>;
    /** Optional. Defaults to none. Writes to the network the service joins that must finish first (the accounts' private endpoints). */
    after?: pulumi.Resource[];
    /** Required. Tags for the service and its private endpoint. */
    tags: Record<string, string>;
    /** Required. The model behind each deployment name: the usage metrics' Model dimension. */
    models: Record<string, string>;
    /** Optional. Defaults to none: no logs (the stack has no workspace; teams need one). Where the gateway's logs and its teams' usage go (gatewayUsage.ts). */
    usage?: { workspaceId: pulumi.Input<string>; names: { insights: string; diagnosticSetting: string }; insightsIdForNaming: pulumi.Input<string> };
}

/** The pool's backend id, which the policy routes to. */
export const PoolBackendId = "openai-pool";

/**
 * API Management in front of every region: one backend per account, each with a circuit breaker
 * that opens on a 429 or 5xx (honouring Retry-After), a pool that prefers the primary, the Azure
 * OpenAI chat and embeddings operations on the same paths as an account, and the policy that
 * authenticates callers, calls the accounts with the gateway's own identity and retries elsewhere.
 */
export class Gateway extends pulumi.ComponentResource {
    public readonly service: apimanagement.ApiManagementService;
    public readonly endpoint: pulumi.Output<string>;
    /** True while the service is public only until its private endpoint is approved: run `pulumi up` again. */
    public readonly privateAccessPending: pulumi.Output<boolean>;

    constructor(name: string, args: GatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aoai:platform:Gateway", name, {}, opts);
        const g = args.gateway;
        const common = { resourceGroupName: args.resourceGroupName, serviceName: args.serviceName };
        const access = pulumi.output(args.access);
        this.privateAccessPending = access.pending;
        this.service = new apimanagement.ApiManagementService(
            `${name}-service`,
            {
                resourceGroupName: args.resourceGroupName,
                serviceName: args.serviceName,
                location: args.location,
                sku: { name: g.sku, capacity: g.capacity },
                publisherEmail: g.publisherEmail,
                publisherName: g.publisherName ?? args.defaultPublisherName,
                identity: { type: apimanagement.ApimIdentityType.SystemAssigned },
                publicNetworkAccess: access.publicNetworkAccess,
                // Outbound integration: calls to the accounts leave from this subnet and resolve their
                // private endpoints; callers still come in through the private endpoint below.
                ...(args.outboundSubnetId
                    ? { virtualNetworkType: apimanagement.VirtualNetworkType.External, virtualNetworkConfiguration: { subnetResourceId: args.outboundSubnetId } }
                    : {}),
                tags: access.pending.apply((pending) => (pending ? { ...args.tags, [GatewayBootstrapTag]: GatewayBootstrapValue } : args.tags)),
            },
            // Joining the network takes tens of minutes and writes to it; Azure refuses a second write to a
            // network meanwhile (AnotherOperationInProgress), so the endpoints go first, as Microsoft's
            // private Foundry gateway lab orders them.
            { parent: this, dependsOn: args.after ?? [] },
        );
        this.endpoint = this.service.name.apply(gatewayEndpoint);
        const service = { ...common, serviceName: this.service.name };

        const backends = args.backends.map((b) => {
            // The gateway's identity calls the account: it needs the same data-plane role as any caller.
            new AccountAccess(
                `${name}-access-${b.location}`,
                {
                    subscriptionId: args.subscriptionId,
                    scopeId: b.accountId,
                    scopeIdForNaming: b.accountIdForNaming,
                    grants: [
                        {
                            key: "openai-user",
                            principalId: this.service.identity.apply((identity) => identity!.principalId),
                            principalType: "ServicePrincipal",
                            role: ChatCallerRole,
                            description: `Lets the API Management gateway call the ${b.location} account (managed by Pulumi)`,
                        },
                    ],
                },
                { parent: this },
            );
            const backend = new apimanagement.Backend(
                `${name}-backend-${b.location}`,
                {
                    ...service,
                    backendId: `openai-${b.location}`,
                    title: `Azure OpenAI in ${b.location}`,
                    url: pulumi.interpolate`${b.endpoint}openai`,
                    protocol: apimanagement.BackendProtocol.Http,
                    // One rule is all Azure allows. A single 429 or 5xx opens it, so the pool's next
                    // attempt goes elsewhere; Retry-After, when the account sends one, sets how long.
                    circuitBreaker: {
                        rules: [
                            {
                                name: "throttled-or-failing",
                                failureCondition: { count: 1, interval: "PT1M", statusCodeRanges: [{ min: 429, max: 429 }, { min: 500, max: 599 }] },
                                tripDuration: `PT${g.tripDurationSeconds}S`,
                                acceptRetryAfter: true,
                            },
                        ],
                    },
                },
                { parent: this },
            );
            return { backend, priority: b.priority };
        });
        new apimanagement.Backend(
            `${name}-pool`,
            {
                ...service,
                backendId: PoolBackendId,
                title: "Azure OpenAI, every region by priority",
                type: apimanagement.BackendType.Pool,
                pool: { services: backends.map(({ backend, priority }) => ({ id: backend.id, priority, weight: 1 })) },
            },
            { parent: this },
        );

        const api = new apimanagement.Api(
            `${name}-api`,
            {
                ...service,
                apiId: "azure-openai",
                displayName: "Azure OpenAI",
                // The account's own paths: a client changes only the host.
                path: "openai",
                protocols: [apimanagement.Protocol.Https],
                subscriptionRequired: g.subscriptionKeys,
                // The key a team without Entra sends is its product's subscription key, in the header an account's key goes in.
                ...(g.subscriptionKeys || g.teams.some((t) => t.recognisedBy.kind === "subscription") ? { subscriptionKeyParameterNames: { header: "api-key", query: "api-key" } } : {}),
            },
            { parent: this },
        );
        for (const op of GatewayOperations) {
            new apimanagement.ApiOperation(
                `${name}-${op.id}`,
                {
                    ...service,
                    apiId: api.name,
                    operationId: op.id,
                    displayName: op.displayName,
                    method: op.method,
                    urlTemplate: op.urlTemplate,
                    ...(op.urlTemplate.includes("{deployment-id}") ? { templateParameters: [{ name: "deployment-id", type: "string", required: true }] } : {}),
                    // The dated APIs need the api-version they answer to; the v1 API takes none.
                    ...(op.apiVersion ? { request: { queryParameters: [{ name: "api-version", type: "string", required: true }] } } : {}),
                },
                { parent: this },
            );
        }
        teamProducts(this, name, { resourceGroupName: args.resourceGroupName, serviceName: this.service.name }, g.teams, api);
        if (args.usage) gatewayLogs(`${name}-logs`, { serviceId: this.service.id, workspaceId: args.usage.workspaceId, settingName: args.usage.names.diagnosticSetting }, this);
        const usage = g.teams.length && args.usage
            ? new GatewayUsage(`${name}-usage`, { resourceGroupName: args.resourceGroupName, location: args.location, service: this.service, apiName: api.name, workspaceId: args.usage.workspaceId, names: args.usage.names, insightsIdForNaming: args.usage.insightsIdForNaming, subscriptionId: args.subscriptionId, pricePerMillionTokens: g.pricePerMillionTokens, tags: args.tags }, { parent: this })
            : undefined;
        new apimanagement.ApiPolicy(
            `${name}-api-policy`,
            {
                ...service,
                apiId: api.name,
                policyId: "policy",
                format: apimanagement.PolicyContentFormat.Rawxml,
                value: pulumi.output(args.tenantId).apply((tenantId) =>
                    gatewayPolicyXml({ tenantId, audiences: gatewayAudiences(g), roles: g.roles, poolBackendId: PoolBackendId, retries: g.retries, teams: g.teams, models: args.models }),
                ),
            },
            // llm-emit-token-metric needs the API's diagnostic with custom metrics before it can be saved.
            { parent: this, dependsOn: [...backends.map((b) => b.backend), ...(usage ? [usage] : [])] },
        );

        if (args.privateNetwork) this.createPrivateEndpoint(name, args, args.privateNetwork);
        this.registerOutputs({ endpoint: this.endpoint, privateAccessPending: this.privateAccessPending });
    }

    /** The gateway's private endpoint (group `Gateway`) and its own zone, linked to the stack's network. */
    private createPrivateEndpoint(name: string, args: GatewayArgs, net: NonNullable<GatewayArgs["privateNetwork"]>): void {
        const common = { resourceGroupName: args.resourceGroupName, tags: args.tags };
        // A hub's zone is linked to its networks by the hub; a zone the stack creates, by the stack.
        const zoneId = args.gateway.dnsZoneId ?? linkedPrivateZone(this, name, { ...common, zoneName: GatewayPrivateDnsZone, linkName: net.names.dnsZoneLink, vnetId: net.vnetId });
        registeredEndpoint(this, name, {
            ...common,
            location: args.location,
            subnetId: net.subnetId,
            names: { ...net.names, privateLinkConnection: net.names.privateEndpoint },
            serviceId: this.service.id,
            groupId: "Gateway",
            zones: [{ name: GatewayPrivateDnsZone, id: zoneId }],
            suffix: "",
            // After the service's own write on the network (its outbound join), never beside it.
            dependsOn: [this.service],
        });
    }
}
