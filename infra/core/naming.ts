/**
 * Azure resource names, following the Cloud Adoption Framework abbreviations (`rg-`, `oai-`, `pe-`, ...)
 * with the workload prefix and the environment, so a name alone says what and where a resource is.
 */
import { createHash } from "crypto";

export interface NameParts {
    namePrefix: string;
    environment: string;
}

/**
 * Every Azure name of an environment. Names of what each region has for itself (its account, lock,
 * endpoint, identity, key, diagnostic setting, alerts) end in `-<location>` for a secondary region;
 * what the regions share (resource group, network, workspace, action group, budget) does not.
 */
export function resourceNames({ namePrefix, environment }: NameParts, secondary?: string) {
    const base = `${namePrefix}-${environment}`;
    const own = secondary ? `${base}-${secondary}` : base;
    return {
        resourceGroup: `rg-${base}`,
        account: `oai-${own}`,
        accountLock: `lock-oai-${own}`,
        virtualNetwork: `vnet-${base}`,
        privateEndpointSubnet: "snet-private-endpoints",
        privateEndpoint: `pe-oai-${own}`,
        privateEndpointNic: `nic-pe-oai-${own}`,
        privateLinkConnection: `plsc-oai-${own}`,
        dnsZoneLink: `vnetlink-${base}`,
        logAnalyticsWorkspace: `log-${base}`,
        diagnosticSetting: `diag-oai-${own}`,
        vaultDiagnosticSetting: `diag-kv-${own}`,
        actionGroup: `ag-oai-${base}`,
        alertPrefix: `alert-oai-${own}`,
        budget: `budget-${base}`,
        accountIdentity: `id-oai-${own}`,
        encryptionKey: `cmk-oai-${own}`,
        gatewayPrivateEndpoint: `pe-apim-${base}`,
        gatewayPrivateEndpointNic: `nic-pe-apim-${base}`,
        gatewayDnsZoneLink: `vnetlink-apim-${base}`,
        gatewaySubnet: "snet-apim-outbound",
        gatewaySubnetNsg: `nsg-apim-${base}`,
        gatewayInsights: `appi-apim-${base}`,
        gatewayDiagnosticSetting: `diag-apim-${base}`,
        hubPeering: `peer-${base}-to-hub`,
        hubPeeringBack: `peer-hub-to-${base}`,
    };
}

export type ResourceNames = ReturnType<typeof resourceNames>;

/** A short hash of the subscription and an account's name: stable per stack, different in every subscription. */
function stackHash(subscriptionId: string, accountName: string, length: number): string {
    return createHash("sha256").update(`${subscriptionId.toLowerCase()}/${accountName}`).digest("hex").slice(0, length);
}

/**
 * The default custom subdomain: `<prefix>-<environment>[-<location>]-<8 hex>`. The suffix is a hash of
 * the subscription and the account name, so it is stable for a stack across runs (a new subdomain would
 * replace the account and change every client's endpoint) yet different in every subscription
 * (subdomains are global across Azure). Like Bicep's uniqueString(), it is derived, not random.
 */
export function defaultCustomSubdomain(parts: NameParts, subscriptionId: string, secondary?: string): string {
    const stem = secondary ? `${parts.namePrefix}-${parts.environment}-${secondary}` : `${parts.namePrefix}-${parts.environment}`;
    return `${stem}-${stackHash(subscriptionId, resourceNames(parts, secondary).account, 8)}`;
}

/**
 * The Key Vault a stack creates for an account's encryption key: `kv-<prefix>-<env>` cut to fit, then
 * 4 hex of the same hash (so each region's vault differs). Vault names are global across Azure, at
 * most 24 characters, and a deleted vault keeps its name for its soft-delete retention, so the name
 * must be unique and stable, like the subdomain.
 */
function keyVaultName(parts: NameParts, subscriptionId: string, secondary?: string): string {
    const stem = `kv-${parts.namePrefix}-${parts.environment}`.slice(0, 19).replace(/-+$/, "");
    return `${stem}-${stackHash(subscriptionId, resourceNames(parts, secondary).account, 4)}`;
}

/** The API Management service, `apim-<prefix>-<env>-<8 hex>`: its name is its global host name. */
function gatewayName(parts: NameParts, subscriptionId: string): string {
    return `apim-${parts.namePrefix}-${parts.environment}-${stackHash(subscriptionId, `apim/${resourceNames(parts).account}`, 8)}`;
}

/** The data-plane URI of a vault in the Azure public cloud, as `vault.properties.vaultUri` reports it. */
export function keyVaultUri(vaultName: string): string {
    return `https://${vaultName}.vault.azure.net/`;
}

/** What every region (the primary first) and the gateway are called in one subscription, where names hash it. */
export interface SubscriptionNames {
    regions: { customSubdomain: string; endpoint: string; accountId: string; vaultName: string }[];
    gateway: string;
    /** The primary's Foundry endpoint, and each project's on it (used with kind AIServices). */
    foundryEndpoint: string;
    projectEndpoints: { name: string; endpoint: string }[];
}

/**
 * Every name the stack derives from the subscription, computed in one place: each region's custom
 * subdomain (the stack's own with `-<location>` for a secondary, else derived), its endpoint, its
 * account id before the account exists and its vault; the gateway's service; the Foundry endpoints.
 */
export function subscriptionNames(
    stack: NameParts & { customSubdomain?: string },
    secondaries: (string | undefined)[],
    projects: string[],
    subscriptionId: string,
): SubscriptionNames {
    const resourceGroup = resourceNames(stack).resourceGroup;
    const regions = secondaries.map((secondary) => {
        const customSubdomain = stack.customSubdomain ? (secondary ? `${stack.customSubdomain}-${secondary}` : stack.customSubdomain) : defaultCustomSubdomain(stack, subscriptionId, secondary);
        return {
            customSubdomain,
            endpoint: openAiEndpoint(customSubdomain),
            accountId: accountResourceId(subscriptionId, resourceGroup, resourceNames(stack, secondary).account),
            vaultName: keyVaultName(stack, subscriptionId, secondary),
        };
    });
    const primary = regions[0].customSubdomain;
    return {
        regions,
        gateway: gatewayName(stack, subscriptionId),
        foundryEndpoint: foundryEndpoint(primary),
        projectEndpoints: projects.map((name) => ({ name, endpoint: projectEndpoint(primary, name) })),
    };
}

/** The Azure OpenAI data-plane endpoint of an account with this subdomain (kind OpenAI and AIServices alike). */
function openAiEndpoint(customSubdomain: string): string {
    return `https://${customSubdomain}.openai.azure.com/`;
}

/** The Foundry endpoint of a kind-AIServices account: projects, agents and the Foundry APIs. */
export function foundryEndpoint(customSubdomain: string): string {
    return `https://${customSubdomain}.services.ai.azure.com/`;
}

/** A Foundry project's endpoint, as the Foundry SDKs take it. */
function projectEndpoint(customSubdomain: string, project: string): string {
    return `${foundryEndpoint(customSubdomain)}api/projects/${project}`;
}

/** ARM id of the account, known before it exists (the real `account.id` is only known after creation). */
function accountResourceId(subscriptionId: string, resourceGroup: string, account: string): string {
    return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.CognitiveServices/accounts/${account}`;
}

/** The gateway's endpoint: API Management's default host. */
export function gatewayEndpoint(serviceName: string): string {
    return `https://${serviceName}.azure-api.net/`;
}

/** The only private DNS zone a kind-OpenAI account's endpoint resolves through. */
export const OpenAiPrivateDnsZone = "privatelink.openai.azure.com";

/**
 * The zones a kind-AIServices (Foundry) account's one private endpoint registers in: the Azure OpenAI
 * host, the Cognitive Services host and the Foundry host (Microsoft's private-network Foundry samples
 * put all three in one zone group). The Azure OpenAI zone comes first and keeps its place, so an
 * upgrade from kind OpenAI adds the other two beside it and replaces nothing.
 */
export const FoundryPrivateDnsZones = [OpenAiPrivateDnsZone, "privatelink.cognitiveservices.azure.com", "privatelink.services.ai.azure.com"] as const;

/** The private DNS zone of an API Management gateway reached through a private endpoint. */
export const GatewayPrivateDnsZone = "privatelink.azure-api.net";

/** The private DNS zone of a Key Vault reached through a private endpoint. */
export const KeyVaultPrivateDnsZone = "privatelink.vaultcore.azure.net";

/**
 * Every zone a hub holds for its environments: the accounts' three, the gateway's and Key Vault's. One
 * network can be linked to only one zone of a name, so these live once, in the hub, never in a spoke.
 */
export const SharedPrivateDnsZones = [...FoundryPrivateDnsZones, GatewayPrivateDnsZone, KeyVaultPrivateDnsZone] as const;

/** A zone's short name for logical names: privatelink.services.ai.azure.com is `services-ai`. */
export function zoneShortName(zone: string): string {
    return zone.replace(/^privatelink\.|\.azure\.(com|net)$|\.net$/g, "").replace(/\./g, "-");
}

/** The Azure names of a hub (the shared DNS and the tools network): `<kind>-<prefix>-<environment>`. */
export function hubNames({ namePrefix, environment }: NameParts) {
    const base = `${namePrefix}-${environment}`;
    return {
        resourceGroup: `rg-${base}`,
        virtualNetwork: `vnet-${base}`,
        runnerSubnet: "snet-runners",
        runnerSubnetNsg: `nsg-runners-${base}`,
        natGateway: `ng-${base}`,
        natPublicIp: `pip-ng-${base}`,
        dnsZoneLink: `vnetlink-${base}`,
    };
}

/** The virtual network that contains a subnet, from the subnet's resource id. */
export function vnetIdOfSubnet(subnetId: string): string {
    return subnetId.replace(/\/subnets\/[^/]+$/i, "");
}
