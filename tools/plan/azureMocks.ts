/**
 * Pulumi mocks that stand in for Azure: every resource gets an ARM-shaped id and its Azure name, and
 * the only invokes answered are getClientConfig (with fixed ids, so plans are deterministic), the
 * read of a live API Management service (as one of the phases of a first deploy) and the read of a
 * live account's kind (absent unless a test says what Azure has). Anything else fails
 * loudly: a new resource type or invoke must be added here on purpose, and a program that tried to
 * list account keys would fail its tests.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";

export const MockClient = {
    subscriptionId: "00000000-0000-0000-0000-000000000000",
    tenantId: "00000000-0000-0000-0000-0000000000aa",
    objectId: "00000000-0000-0000-0000-0000000000bb",
    clientId: "00000000-0000-0000-0000-0000000000cc",
};

/** An unsigned stand-in for the ARM token of a service principal: only its claims are ever read. */
export const MockToken = [{ alg: "none", typ: "JWT" }, { appid: MockClient.clientId, idtyp: "app", oid: MockClient.objectId }]
    .map((part) => Buffer.from(JSON.stringify(part)).toString("base64url"))
    .join(".") + ".";

/** What Azure only tells after creation, as fixed stand-ins (the readable plan marks them). */
export const MockCreated = {
    identityPrincipalId: "00000000-0000-0000-0000-0000000000dd",
    identityClientId: "00000000-0000-0000-0000-0000000000ee",
    keyVersion: "0000000000000000000000000000000f",
    gatewayPrincipalId: "00000000-0000-0000-0000-0000000000ff",
    /** Names the component's ingestion endpoint; it carries no secret (the component's local auth is off). */
    insightsConnectionString: "InstrumentationKey=00000000-0000-0000-0000-0000000000ab;IngestionEndpoint=https://eastus2-3.in.applicationinsights.azure.com/",
    /** The NAT gateway's address: one from the documentation range (RFC 5737), never a real host. */
    publicIpAddress: "203.0.113.10",
    /** A Foundry project's own identity: one per project name, so two projects' grants never share a name. */
    projectPrincipalId: (project: string) => `00000000-0000-0000-0001-${createHash("sha256").update(project).digest("hex").slice(0, 12)}`,
};

/**
 * The gateway as Azure has it when the program reads it (gatewayAccess.ts): `absent` before the first
 * `pulumi up` (its resource group does not exist yet), `public` after a first run that left it public,
 * `pending` while its private endpoint waits for approval, `private` once it is approved and the
 * gateway closed: the steady state plans show.
 */
export type LiveGatewayPhase = "absent" | "public" | "pending" | "private";

/** What the program's live reads find in Azure. */
export interface LiveState {
    /** Defaults to `private`: the steady state plans show. */
    gateway?: LiveGatewayPhase;
    /** Accounts that already exist, by Azure name, with the kind Azure has them as; others do not exist. */
    accountKinds?: Record<string, string>;
    /** Existing accounts (among `accountKinds`) that a customer-managed key encrypts, by Azure name. */
    customerManagedKeys?: string[];
    /** Accounts whose read Azure refuses (403), by Azure name: not absence. */
    unreadableAccounts?: string[];
    /** What each hub stack reports, by its fully qualified name; a stack not listed reports nothing. */
    hubs?: Record<string, Record<string, unknown>>;
}

type Inputs = Record<string, any>;

/** Per type: the input that carries the Azure name, and how Azure builds the resource id in a subscription. */
function azureResources(subscriptionId: string): Record<string, { nameInput: string; id: (i: Inputs) => string; created?: (i: Inputs) => Inputs }> {
    const rg = (i: Inputs) => `/subscriptions/${subscriptionId}/resourceGroups/${i.resourceGroupName}`;
    const net = (i: Inputs) => `${rg(i)}/providers/Microsoft.Network`;
    const apim = (i: Inputs) => `${rg(i)}/providers/Microsoft.ApiManagement/service/${i.serviceName}`;
    return {
        "azure-native:resources:ResourceGroup": { nameInput: "resourceGroupName", id: (i) => rg(i) },
        "azure-native:cognitiveservices:Account": { nameInput: "accountName", id: (i) => `${rg(i)}/providers/Microsoft.CognitiveServices/accounts/${i.accountName}` },
        "azure-native:cognitiveservices:Deployment": { nameInput: "deploymentName", id: (i) => `${rg(i)}/providers/Microsoft.CognitiveServices/accounts/${i.accountName}/deployments/${i.deploymentName}` },
        "azure-native:cognitiveservices:RaiBlocklist": { nameInput: "raiBlocklistName", id: (i) => `${rg(i)}/providers/Microsoft.CognitiveServices/accounts/${i.accountName}/raiBlocklists/${i.raiBlocklistName}` },
        "azure-native:cognitiveservices:RaiBlocklistItem": { nameInput: "raiBlocklistItemName", id: (i) => `${rg(i)}/providers/Microsoft.CognitiveServices/accounts/${i.accountName}/raiBlocklists/${i.raiBlocklistName}/raiBlocklistItems/${i.raiBlocklistItemName}` },
        "azure-native:cognitiveservices:Project": {
            nameInput: "projectName",
            id: (i) => `${rg(i)}/providers/Microsoft.CognitiveServices/accounts/${i.accountName}/projects/${i.projectName}`,
            created: (i) => ({ identity: { ...i.identity, principalId: MockCreated.projectPrincipalId(i.projectName), tenantId: MockClient.tenantId } }),
        },
        "azure-native:cognitiveservices:RaiPolicy": { nameInput: "raiPolicyName", id: (i) => `${rg(i)}/providers/Microsoft.CognitiveServices/accounts/${i.accountName}/raiPolicies/${i.raiPolicyName}` },
        "azure-native:managedidentity:UserAssignedIdentity": {
            nameInput: "resourceName",
            id: (i) => `${rg(i)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${i.resourceName}`,
            created: () => ({ principalId: MockCreated.identityPrincipalId, clientId: MockCreated.identityClientId, tenantId: MockClient.tenantId }),
        },
        "azure-native:keyvault:Vault": { nameInput: "vaultName", id: (i) => `${rg(i)}/providers/Microsoft.KeyVault/vaults/${i.vaultName}` },
        "azure-native:keyvault:Key": {
            nameInput: "keyName",
            id: (i) => `${rg(i)}/providers/Microsoft.KeyVault/vaults/${i.vaultName}/keys/${i.keyName}`,
            created: (i) => ({
                keyUri: `https://${i.vaultName}.vault.azure.net/keys/${i.keyName}`,
                keyUriWithVersion: `https://${i.vaultName}.vault.azure.net/keys/${i.keyName}/${MockCreated.keyVersion}`,
            }),
        },
        "azure-native:apimanagement:ApiManagementService": {
            nameInput: "serviceName",
            id: (i) => `${apim(i)}`,
            created: (i) => ({ identity: { ...i.identity, principalId: MockCreated.gatewayPrincipalId, tenantId: MockClient.tenantId } }),
        },
        "azure-native:apimanagement:Backend": { nameInput: "backendId", id: (i) => `${apim(i)}/backends/${i.backendId}` },
        "azure-native:apimanagement:Api": { nameInput: "apiId", id: (i) => `${apim(i)}/apis/${i.apiId}` },
        "azure-native:apimanagement:ApiOperation": { nameInput: "operationId", id: (i) => `${apim(i)}/apis/${i.apiId}/operations/${i.operationId}` },
        "azure-native:apimanagement:ApiPolicy": { nameInput: "policyId", id: (i) => `${apim(i)}/apis/${i.apiId}/policies/${i.policyId}` },
        "azure-native:network:NetworkSecurityGroup": { nameInput: "networkSecurityGroupName", id: (i) => `${net(i)}/networkSecurityGroups/${i.networkSecurityGroupName}` },
        "azure-native:network:VirtualNetwork": { nameInput: "virtualNetworkName", id: (i) => `${net(i)}/virtualNetworks/${i.virtualNetworkName}` },
        "azure-native:network:Subnet": { nameInput: "subnetName", id: (i) => `${net(i)}/virtualNetworks/${i.virtualNetworkName}/subnets/${i.subnetName}` },
        "azure-native:network:VirtualNetworkPeering": { nameInput: "virtualNetworkPeeringName", id: (i) => `${net(i)}/virtualNetworks/${i.virtualNetworkName}/virtualNetworkPeerings/${i.virtualNetworkPeeringName}` },
        "azure-native:network:PublicIPAddress": {
            nameInput: "publicIpAddressName",
            id: (i) => `${net(i)}/publicIPAddresses/${i.publicIpAddressName}`,
            created: () => ({ ipAddress: MockCreated.publicIpAddress }),
        },
        "azure-native:network:NatGateway": { nameInput: "natGatewayName", id: (i) => `${net(i)}/natGateways/${i.natGatewayName}` },
        "azure-native:network:PrivateEndpoint": { nameInput: "privateEndpointName", id: (i) => `${net(i)}/privateEndpoints/${i.privateEndpointName}` },
        "azure-native:network:PrivateDnsZoneGroup": { nameInput: "privateDnsZoneGroupName", id: (i) => `${net(i)}/privateEndpoints/${i.privateEndpointName}/privateDnsZoneGroups/${i.privateDnsZoneGroupName}` },
        "azure-native:privatedns:PrivateZone": { nameInput: "privateZoneName", id: (i) => `${net(i)}/privateDnsZones/${i.privateZoneName}` },
        "azure-native:privatedns:VirtualNetworkLink": { nameInput: "virtualNetworkLinkName", id: (i) => `${net(i)}/privateDnsZones/${i.privateZoneName}/virtualNetworkLinks/${i.virtualNetworkLinkName}` },
        "azure-native:authorization:RoleAssignment": { nameInput: "roleAssignmentName", id: (i) => `${i.scope}/providers/Microsoft.Authorization/roleAssignments/${i.roleAssignmentName}` },
        "azure-native:authorization:ManagementLockByScope": { nameInput: "lockName", id: (i) => `${i.scope}/providers/Microsoft.Authorization/locks/${i.lockName}` },
        "azure-native:operationalinsights:Workspace": { nameInput: "workspaceName", id: (i) => `${rg(i)}/providers/Microsoft.OperationalInsights/workspaces/${i.workspaceName}` },
        "azure-native:monitor:ActionGroup": { nameInput: "actionGroupName", id: (i) => `${rg(i)}/providers/Microsoft.Insights/actionGroups/${i.actionGroupName}` },
        "azure-native:monitor:MetricAlert": { nameInput: "ruleName", id: (i) => `${rg(i)}/providers/Microsoft.Insights/metricAlerts/${i.ruleName}` },
        "azure-native:consumption:Budget": { nameInput: "budgetName", id: (i) => `${i.scope}/providers/Microsoft.Consumption/budgets/${i.budgetName}` },
        // A bounded wait (@pulumiverse/time): no Azure resource, so an id of its own kind.
        "time:index/sleep:Sleep": { nameInput: "createDuration", id: (i) => `sleep-${i.createDuration}` },
        "azure-native:resources:Resource": { nameInput: "resourceName", id: (i) => `${rg(i)}/providers/${i.resourceProviderNamespace}/${i.parentResourcePath}/${i.resourceType}/${i.resourceName}` },
        "azure-native:security:Pricing": { nameInput: "pricingName", id: (i) => `${i.scopeId}/providers/Microsoft.Security/pricings/${i.pricingName}` },
        "azure-native:applicationinsights:Component": {
            nameInput: "resourceName",
            id: (i) => `${rg(i)}/providers/Microsoft.Insights/components/${i.resourceName}`,
            created: () => ({ connectionString: MockCreated.insightsConnectionString }),
        },
        "azure-native:apimanagement:Logger": { nameInput: "loggerId", id: (i) => `${apim(i)}/loggers/${i.loggerId}` },
        "azure-native:apimanagement:ApiDiagnostic": { nameInput: "diagnosticId", id: (i) => `${apim(i)}/apis/${i.apiId}/diagnostics/${i.diagnosticId}` },
        "azure-native:apimanagement:Product": { nameInput: "productId", id: (i) => `${apim(i)}/products/${i.productId}` },
        "azure-native:apimanagement:ProductApi": { nameInput: "apiId", id: (i) => `${apim(i)}/products/${i.productId}/apis/${i.apiId}` },
        "azure-native:apimanagement:Subscription": { nameInput: "sid", id: (i) => `${apim(i)}/subscriptions/${i.sid}` },
        "azure-native:operationalinsights:SavedSearch": { nameInput: "savedSearchId", id: (i) => `${rg(i)}/providers/Microsoft.OperationalInsights/workspaces/${i.workspaceName}/savedSearches/${i.savedSearchId}` },
        "azure-native:monitor:DiagnosticSetting": { nameInput: "name", id: (i) => `${i.resourceUri}/providers/Microsoft.Insights/diagnosticSettings/${i.name}` },
    };
}

/** The SDK re-wraps errors thrown from mocks as `new Error(err.details)`; keep the message there. */
function mockError(message: string): Error {
    return Object.assign(new Error(message), { details: message });
}

export interface RegisteredResource {
    type: string;
    name: string;
    custom: boolean;
    inputs: Inputs;
}

/**
 * Azure-shaped mocks; `onRegister` sees every registration with the inputs the provider would get.
 * `subscriptionId` stands in for the subscription `pulumi up` will target (default: the placeholder).
 */
/**
 * `onMissing` hears of every type with no mock: the SDK logs a mock's error and renders on without the
 * resource's outputs (and so without every input that depends on them), so a caller must fail the plan.
 */
export function azureMocks(
    onRegister: (r: RegisteredResource) => void = () => {},
    subscriptionId: string = MockClient.subscriptionId,
    live: LiveState = {},
    onMissing: (message: string) => void = () => {},
): pulumi.runtime.Mocks {
    const AzureResources = azureResources(subscriptionId);
    const gatewayPhase = live.gateway ?? "private";
    return {
        newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
            onRegister({ type: args.type, name: args.name, custom: args.custom ?? true, inputs: args.inputs });
            if (args.custom === false) {
                return { id: undefined, state: {} };
            }
            if (args.type === "pulumi:pulumi:StackReference") {
                // A read of another stack's outputs (a spoke's hub): what `live.hubs` says it reports.
                const name = String(args.inputs.name);
                return { id: name, state: { name, outputs: live.hubs?.[name] ?? {}, secretOutputNames: [] } };
            }
            const azure = AzureResources[args.type];
            if (!azure) {
                const message = `Mock not implemented for resource type ${args.type}; add it to tools/plan/azureMocks.ts`;
                onMissing(message);
                throw mockError(message);
            }
            return { id: azure.id(args.inputs), state: { ...args.inputs, name: args.inputs[azure.nameInput], ...azure.created?.(args.inputs) } };
        },
        call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
            if (args.token === "azure-native:authorization:getClientConfig") {
                return { ...MockClient, subscriptionId };
            }
            if (args.token === "azure-native:authorization:getClientToken") {
                // An app-only token's claims (no signature): the deploy workflow's service principal.
                return { token: MockToken };
            }
            if (args.token === "azure-native:apimanagement:getApiManagementService") {
                // What ARM answers for each phase; absence is its 404, as the provider reports it.
                if (gatewayPhase === "absent") throw mockError(`Resource group '${args.inputs.resourceGroupName}' could not be found. (Code: ResourceGroupNotFound) status code 404`);
                const approved = gatewayPhase === "private";
                const status = approved ? "Approved" : gatewayPhase === "pending" ? "Pending" : undefined;
                return {
                    name: args.inputs.serviceName,
                    publicNetworkAccess: approved ? "Disabled" : "Enabled",
                    privateEndpointConnections: status ? [{ groupIds: ["Gateway"], privateLinkServiceConnectionState: { status } }] : [],
                };
            }
            if (args.token === "azure-native:cognitiveservices:getAccount") {
                if (live.unreadableAccounts?.includes(args.inputs.accountName)) {
                    throw mockError(`The client does not have authorization to perform action 'Microsoft.CognitiveServices/accounts/read' (Code: AuthorizationFailed) status code 403`);
                }
                const kind = live.accountKinds?.[args.inputs.accountName];
                if (kind === undefined) throw mockError(`The Resource 'Microsoft.CognitiveServices/accounts/${args.inputs.accountName}' under resource group '${args.inputs.resourceGroupName}' was not found. (Code: ResourceNotFound) status code 404`);
                const cmk = live.customerManagedKeys?.includes(args.inputs.accountName);
                return { name: args.inputs.accountName, kind, properties: { encryption: { keySource: cmk ? "Microsoft.KeyVault" : "Microsoft.CognitiveServices" } } };
            }
            throw mockError(`Mock not implemented for invoke ${args.token}; add it to tools/plan/azureMocks.ts`);
        },
    };
}
