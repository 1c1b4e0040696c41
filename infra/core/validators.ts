/**
 * Pure checks for single values. Each returns `undefined` when the value is fine, or a sentence saying
 * what is wrong and what is allowed; the configuration sections prefix it with the offending key.
 */
import regionList from "./data/azureRegions.json";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ZeroGuid = "00000000-0000-0000-0000-000000000000";

/**
 * An Entra object id or a subscription id. The all-zero GUID is the placeholder of templates and
 * offline renders, never a real object: assigning a role to it fails at deploy time.
 */
export function checkGuid(value: string): string | undefined {
    if (!GUID.test(value)) {
        return "must be a GUID such as 7c9e6679-7425-40de-944b-e07fc1f90ae7 (an Entra object id)";
    }
    return value === ZeroGuid ? "is the all-zero placeholder GUID, not a real object; use the object id from Entra ID (az ad sp show / az ad group show)" : undefined;
}

/** Physical regions of the Azure public cloud (infra/core/data/azureRegions.json says where the list comes from). */
export const AzureRegions: readonly string[] = regionList.regions;

/** An Azure region by its ARM name (lowercase, no spaces: `eastus2`, not "East US 2"). */
export function checkAzureRegion(value: string): string | undefined {
    return AzureRegions.includes(value) ? undefined : "is not a region of the Azure public cloud (infra/core/data/azureRegions.json lists them; e.g. eastus or swedencentral)";
}

/** The longest address SMTP carries (RFC 5321: 254 characters in a path). */
const MaxEmailLength = 254;

/**
 * An e-mail address for notifications; deliberately plain: a local part, @, a dotted domain. The
 * length is checked first, and the pattern's labels cannot overlap, so the check is linear.
 */
export function checkEmail(value: string): string | undefined {
    if (value.length > MaxEmailLength) return `is ${value.length} characters long; an e-mail address has at most ${MaxEmailLength}`;
    return /^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+$/.test(value) ? undefined : "is not an e-mail address such as platform-team@contoso.com";
}

/** Azure's rules for a custom subdomain: 2-64 characters, lowercase letters, digits and hyphens, alphanumeric at both ends. */
export function checkCustomSubdomain(value: string): string | undefined {
    if (value.length < 2 || value.length > 64) {
        return `must be 2-64 characters long (it is ${value.length})`;
    }
    if (!/^[a-z0-9-]+$/.test(value)) {
        return "may contain only lowercase letters, digits and hyphens";
    }
    if (!/^[a-z0-9].*[a-z0-9]$/.test(value)) {
        return "must start and end with a lowercase letter or digit";
    }
    return undefined;
}

const Subscription = "\\/subscriptions\\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\/resourceGroups\\/[^/]+\\/providers";

/** Resource-id shapes this project accepts from configuration. Segment names are case-insensitive, as in ARM. */
const ResourceIdShapes = {
    subnet: {
        pattern: new RegExp(`^${Subscription}\\/Microsoft\\.Network\\/virtualNetworks\\/[^/]+\\/subnets\\/[^/]+$`, "i"),
        example: "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>",
    },
    privateDnsZone: {
        pattern: new RegExp(`^${Subscription}\\/Microsoft\\.Network\\/privateDnsZones\\/[^/]+$`, "i"),
        example: "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/privatelink.openai.azure.com",
    },
    eventHubAuthorizationRule: {
        pattern: new RegExp(`^${Subscription}\\/Microsoft\\.EventHub\\/namespaces\\/[^/]+\\/authorizationRules\\/[^/]+$`, "i"),
        example: "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.EventHub/namespaces/<namespace>/authorizationRules/<rule>",
    },
    storageAccount: {
        pattern: new RegExp(`^${Subscription}\\/Microsoft\\.Storage\\/storageAccounts\\/[a-z0-9]{3,24}$`, "i"),
        example: "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Storage/storageAccounts/<name>",
    },
    keyVault: {
        pattern: new RegExp(`^${Subscription}\\/Microsoft\\.KeyVault\\/vaults\\/[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$`, "i"),
        example: "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<vault>",
    },
    userAssignedIdentity: {
        pattern: new RegExp(`^${Subscription}\\/Microsoft\\.ManagedIdentity\\/userAssignedIdentities\\/[^/]+$`, "i"),
        example: "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>",
    },
    logAnalyticsWorkspace: {
        pattern: new RegExp(`^${Subscription}\\/Microsoft\\.OperationalInsights\\/workspaces\\/[^/]+$`, "i"),
        example: "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>",
    },
} as const;
export type ResourceIdKind = keyof typeof ResourceIdShapes;

export function checkResourceId(value: string, kind: ResourceIdKind): string | undefined {
    const shape = ResourceIdShapes[kind];
    if (!shape.pattern.test(value)) {
        return `must be a resource id of the form ${shape.example}`;
    }
    return value.split("/")[2] === ZeroGuid ? "names the all-zero placeholder subscription; use the id of the real resource (az resource show --query id)" : undefined;
}
