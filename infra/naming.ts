/**
 * Azure resource names, following the Cloud Adoption Framework abbreviations (`rg-`, `oai-`, `pe-`, ...)
 * with the workload prefix and the environment, so a name alone says what and where a resource is.
 */
import { createHash } from "crypto";

export interface NameParts {
    namePrefix: string;
    environment: string;
}

export function resourceNames({ namePrefix, environment }: NameParts) {
    const base = `${namePrefix}-${environment}`;
    return {
        resourceGroup: `rg-${base}`,
        account: `oai-${base}`,
        accountLock: `lock-oai-${base}`,
        virtualNetwork: `vnet-${base}`,
        privateEndpointSubnet: "snet-private-endpoints",
        privateEndpoint: `pe-oai-${base}`,
        privateEndpointNic: `nic-pe-oai-${base}`,
        privateLinkConnection: `plsc-oai-${base}`,
        dnsZoneLink: `vnetlink-${base}`,
        logAnalyticsWorkspace: `log-${base}`,
        diagnosticSetting: `diag-oai-${base}`,
        actionGroup: `ag-oai-${base}`,
        alertPrefix: `alert-oai-${base}`,
        budget: `budget-${base}`,
        accountIdentity: `id-oai-${base}`,
        encryptionKey: `cmk-oai-${base}`,
    };
}

/** A short hash of the subscription and the account name: stable per stack, different in every subscription. */
function stackHash(parts: NameParts, subscriptionId: string, length: number): string {
    return createHash("sha256")
        .update(`${subscriptionId.toLowerCase()}/${resourceNames(parts).account}`)
        .digest("hex")
        .slice(0, length);
}

/**
 * The default custom subdomain: `<prefix>-<environment>-<8 hex>`. The suffix is a hash of the
 * subscription and the account name, so it is stable for a stack across runs (a new subdomain would
 * replace the account and change every client's endpoint) yet different in every subscription
 * (subdomains are global across Azure). Like Bicep's uniqueString(), it is derived, not random.
 */
export function defaultCustomSubdomain(parts: NameParts, subscriptionId: string): string {
    return `${parts.namePrefix}-${parts.environment}-${stackHash(parts, subscriptionId, 8)}`;
}

/**
 * The Key Vault a stack creates for its encryption key: `kv-<prefix>-<env>` cut to fit, then 4 hex of
 * the same hash. Vault names are global across Azure, at most 24 characters, and a deleted vault keeps
 * its name for its soft-delete retention, so the name must be unique and stable, like the subdomain.
 */
export function keyVaultName(parts: NameParts, subscriptionId: string): string {
    const stem = `kv-${parts.namePrefix}-${parts.environment}`.slice(0, 19).replace(/-+$/, "");
    return `${stem}-${stackHash(parts, subscriptionId, 4)}`;
}

/** The data-plane URI of a vault in the Azure public cloud, as `vault.properties.vaultUri` reports it. */
export function keyVaultUri(vaultName: string): string {
    return `https://${vaultName}.vault.azure.net/`;
}

/** The data-plane endpoint Azure gives a kind-OpenAI account with this subdomain. */
export function openAiEndpoint(customSubdomain: string): string {
    return `https://${customSubdomain}.openai.azure.com/`;
}

/** ARM id of the account, known before it exists (the real `account.id` is only known after creation). */
export function accountResourceId(subscriptionId: string, resourceGroup: string, account: string): string {
    return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.CognitiveServices/accounts/${account}`;
}

/** The only private DNS zone a kind-OpenAI account's endpoint resolves through. */
export const OpenAiPrivateDnsZone = "privatelink.openai.azure.com";

/** The virtual network that contains a subnet, from the subnet's resource id. */
export function vnetIdOfSubnet(subnetId: string): string {
    return subnetId.replace(/\/subnets\/[^/]+$/i, "");
}
