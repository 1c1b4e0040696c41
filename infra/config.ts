/**
 * The stack configuration: read once, validated once, then passed down as one typed object.
 *
 * Input is what Pulumi hands a program: every key of the project namespace as a string (structured
 * values as JSON). Validation collects every problem before anything is registered, and each problem
 * names the key, the bad value and what is allowed.
 */
import { AssignableRole, AssignableRoles, BroadRoles } from "./roles";
import {
    checkCustomSubdomain,
    checkGuid,
    checkIpRule,
    checkResourceId,
    cidrContains,
    parseCidr,
} from "./validators";

/** The project name in Pulumi.yaml, and so the namespace of every configuration key. */
export const ConfigNamespace = "aoai";

export const DeploymentSkus = [
    "Standard",
    "GlobalStandard",
    "DataZoneStandard",
    "ProvisionedManaged",
    "GlobalProvisionedManaged",
    "DataZoneProvisionedManaged",
] as const;
export type DeploymentSku = (typeof DeploymentSkus)[number];

export const VersionUpgradeOptions = ["NoAutoUpgrade", "OnceCurrentVersionExpired", "OnceNewDefaultVersionAvailable"] as const;
export type VersionUpgradeOption = (typeof VersionUpgradeOptions)[number];

export const PrincipalTypes = ["User", "Group", "ServicePrincipal"] as const;
export type PrincipalType = (typeof PrincipalTypes)[number];

export const DeployerPrincipalTypes = ["User", "ServicePrincipal"] as const;
export type DeployerPrincipalType = (typeof DeployerPrincipalTypes)[number];

/** The only private DNS zone a kind-OpenAI account's endpoint resolves through. */
export const OpenAiPrivateDnsZone = "privatelink.openai.azure.com";

export interface ModelDeploymentConfig {
    /** Required. Deployment name callers use in the URL or the `model` field. */
    name: string;
    /** Required. Model name, e.g. `gpt-4o-mini`. */
    model: string;
    /** Required. Pinned model version, e.g. `2024-07-18`. */
    version: string;
    /** Required. Deployment SKU, e.g. `GlobalStandard`. */
    sku: DeploymentSku;
    /** Required. Thousands of tokens per minute (standard SKUs) or PTUs (provisioned SKUs). */
    capacity: number;
    /** Optional. Defaults to `OnceCurrentVersionExpired`: the pin holds until Azure retires the version. */
    versionUpgradeOption: VersionUpgradeOption;
    /** Optional. Content filter (RAI policy) name. Defaults to Azure's default policy. */
    raiPolicyName?: string;
}

export interface NetworkConfig {
    /** Defaults to `Disabled` when a private endpoint is configured, else `Enabled`. */
    publicNetworkAccess: "Enabled" | "Disabled";
    /** Defaults to `Deny` when public access is disabled or any rule is given, else `Allow`. */
    defaultAction: "Allow" | "Deny";
    /** Defaults to `None`: no exception for trusted Azure services. */
    bypass: "None" | "AzureServices";
    /** Defaults to none. Public IPv4 addresses or CIDR blocks allowed through the firewall. */
    ipRules: string[];
    /** Defaults to none. Subnet ids (with the Microsoft.CognitiveServices service endpoint) allowed through. */
    virtualNetworkRules: string[];
}

export type SubnetChoice =
    | { kind: "existing"; subnetId: string }
    | { kind: "create"; vnetAddressSpace: string; subnetAddressPrefix: string };

export type DnsZoneChoice = { kind: "existing"; zoneId: string } | { kind: "create" };

export interface PrivateEndpointConfig {
    subnet: SubnetChoice;
    dnsZone: DnsZoneChoice;
}

export interface RoleAssignmentConfig {
    principalId: string;
    principalType: PrincipalType;
    role: AssignableRole;
    description?: string;
}

export type DiagnosticsConfig =
    | { enabled: false }
    | { enabled: true; workspace: { kind: "existing"; workspaceId: string } | { kind: "create"; retentionInDays: number } };

export interface ProtectionConfig {
    /** Pulumi `protect` on the account: `pulumi destroy` and replacements stop until it is lifted. */
    protect: boolean;
    /** A CanNotDelete management lock on the account. */
    lock: boolean;
}

export interface StackConfig {
    stack: string;
    location: string;
    environment: string;
    namePrefix: string;
    tags: Record<string, string>;
    /** Undefined means "derive a stable one" (see naming.ts). */
    customSubdomain?: string;
    disableLocalAuth: boolean;
    restore: boolean;
    deployments: ModelDeploymentConfig[];
    network: NetworkConfig;
    privateEndpoint?: PrivateEndpointConfig;
    roleAssignments: RoleAssignmentConfig[];
    grantDeployerAccess: boolean;
    deployerPrincipalType: DeployerPrincipalType;
    diagnostics: DiagnosticsConfig;
    protection: ProtectionConfig;
}

/** Every problem found in a stack's configuration, in key order. */
export class ConfigError extends Error {
    constructor(public readonly problems: string[]) {
        super(`Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ConfigError";
    }
}

const TopLevelKeys = [
    "location",
    "environment",
    "namePrefix",
    "tags",
    "customSubdomain",
    "disableLocalAuth",
    "restore",
    "deployments",
    "network",
    "privateEndpoint",
    "roleAssignments",
    "grantDeployerAccess",
    "deployerPrincipalType",
    "diagnostics",
    "protection",
] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function show(value: unknown): string {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 240 ? `${text.slice(0, 237)}...` : text;
}

function isObject(value: unknown): value is Record<string, Json> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Collects problems and reads typed values out of untyped JSON, one key path at a time. */
class Reader {
    readonly problems: string[] = [];

    report(path: string, message: string): void {
        this.problems.push(`${ConfigNamespace}:${path}: ${message}`);
    }

    unknownKeys(path: string, value: Record<string, unknown>, known: readonly string[]): void {
        for (const key of Object.keys(value)) {
            if (!known.includes(key)) {
                this.report(path ? `${path}.${key}` : key, `unknown key; known keys here are ${known.join(", ")}`);
            }
        }
    }

    string(path: string, value: unknown, rule?: { pattern: RegExp; allowed: string }): string | undefined {
        if (typeof value !== "string" || value.length === 0) {
            this.report(path, `${show(value)} is not allowed; expected a non-empty string${rule ? ` (${rule.allowed})` : ""}`);
            return undefined;
        }
        if (rule && !rule.pattern.test(value)) {
            this.report(path, `${show(value)} is not allowed; expected ${rule.allowed}`);
            return undefined;
        }
        return value;
    }

    oneOf<T extends string>(path: string, value: unknown, allowed: readonly T[]): T | undefined {
        if (typeof value === "string" && (allowed as readonly string[]).includes(value)) {
            return value as T;
        }
        this.report(path, `${show(value)} is not allowed; use one of ${allowed.join(", ")}`);
        return undefined;
    }

    boolean(path: string, value: unknown): boolean | undefined {
        // Pulumi hands top-level scalars over as strings, nested ones as JSON values.
        if (value === true || value === "true") return true;
        if (value === false || value === "false") return false;
        this.report(path, `${show(value)} is not allowed; use true or false`);
        return undefined;
    }

    integer(path: string, value: unknown, min: number, max: number, unit: string): number | undefined {
        const number = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
        if (typeof number !== "number" || !Number.isInteger(number) || number < min || number > max) {
            this.report(path, `${show(value)} is not allowed; expected a whole number from ${min} to ${max} (${unit})`);
            return undefined;
        }
        return number;
    }

    object(path: string, value: unknown): Record<string, Json> | undefined {
        if (!isObject(value)) {
            this.report(path, `${show(value)} is not allowed; expected a mapping of keys to values`);
            return undefined;
        }
        return value;
    }

    list(path: string, value: unknown): Json[] | undefined {
        if (!Array.isArray(value)) {
            this.report(path, `${show(value)} is not allowed; expected a list`);
            return undefined;
        }
        return value;
    }
}

/** Pulumi passes structured values as JSON text; scalars stay strings. */
function decode(reader: Reader, key: string, text: string | undefined): Json | undefined {
    if (text === undefined) return undefined;
    if (!/^\s*[[{]/.test(text)) return text;
    try {
        return JSON.parse(text) as Json;
    } catch {
        reader.report(key, `could not be read as structured YAML/JSON: ${show(text)}`);
        return undefined;
    }
}

const Patterns = {
    location: { pattern: /^[a-z][a-z0-9]*$/, allowed: "an Azure region name in lowercase without spaces, e.g. eastus or swedencentral" },
    environment: { pattern: /^[a-z][a-z0-9]{0,9}$/, allowed: "1-10 lowercase letters or digits starting with a letter, e.g. dev or prod; it defaults to the stack name" },
    namePrefix: {
        pattern: /^(?!.*--)[a-z][a-z0-9-]{0,10}[a-z0-9]$/,
        allowed: "2-12 lowercase letters, digits or single hyphens, starting with a letter, e.g. contoso",
    },
    deploymentName: {
        pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$/,
        allowed: "2-64 letters, digits, '_', '.' or '-', starting with a letter or digit",
    },
    model: { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, allowed: "a model name such as gpt-4o-mini" },
    version: {
        pattern: /^[0-9][0-9A-Za-z.-]{0,31}$/,
        allowed: "a pinned model version such as 2024-07-18 (never 'latest' or empty: a floating version changes behaviour without a diff)",
    },
    raiPolicyName: { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, allowed: "a content filter name such as Microsoft.DefaultV2" },
} as const;

function readTags(r: Reader, value: Json | undefined): Record<string, string> {
    if (value === undefined) return {};
    const tags = r.object("tags", value);
    if (!tags) return {};
    const keys = Object.keys(tags);
    if (keys.length > 49) {
        r.report("tags", `has ${keys.length} tags; Azure allows 50 per resource and this project adds 'environment'`);
    }
    const result: Record<string, string> = {};
    for (const key of keys.sort()) {
        const path = `tags.${key}`;
        if (key.toLowerCase() === "environment") {
            r.report(path, `is set from ${ConfigNamespace}:environment; remove it from tags`);
            continue;
        }
        if (key.length > 512 || /[<>%&\\?/]/.test(key)) {
            r.report(path, "is not a valid tag name; tag names are at most 512 characters and may not contain < > % & \\ ? /");
            continue;
        }
        const tagValue = tags[key];
        if (typeof tagValue !== "string" || tagValue.length > 256) {
            r.report(path, `${show(tagValue)} is not allowed; tag values are strings of at most 256 characters (quote numbers)`);
            continue;
        }
        result[key] = tagValue;
    }
    return result;
}

function readDeployments(r: Reader, value: Json | undefined): ModelDeploymentConfig[] {
    if (value === undefined) {
        r.report("deployments", "is required; list at least one model deployment (name, model, version, sku, capacity)");
        return [];
    }
    const list = r.list("deployments", value);
    if (!list) return [];
    if (list.length === 0) {
        r.report("deployments", "is empty; list at least one model deployment (name, model, version, sku, capacity)");
    }
    const result: ModelDeploymentConfig[] = [];
    const seen = new Map<string, number>();
    list.forEach((entry, index) => {
        const path = `deployments[${index}]`;
        const d = r.object(path, entry);
        if (!d) return;
        r.unknownKeys(path, d, ["name", "model", "version", "sku", "capacity", "versionUpgradeOption", "raiPolicyName"]);
        const name = r.string(`${path}.name`, d.name, Patterns.deploymentName);
        if (name !== undefined) {
            const earlier = seen.get(name.toLowerCase());
            if (earlier !== undefined) {
                r.report(`${path}.name`, `${show(name)} is already used by deployments[${earlier}]; deployment names must be unique (case-insensitive)`);
            }
            seen.set(name.toLowerCase(), index);
        }
        const model = r.string(`${path}.model`, d.model, Patterns.model);
        const version = r.string(`${path}.version`, d.version, Patterns.version);
        const sku = r.oneOf(`${path}.sku`, d.sku, DeploymentSkus);
        const capacity = r.integer(`${path}.capacity`, d.capacity, 1, 100000, "thousands of tokens per minute, or PTUs for provisioned SKUs");
        const versionUpgradeOption =
            d.versionUpgradeOption === undefined ? "OnceCurrentVersionExpired" : r.oneOf(`${path}.versionUpgradeOption`, d.versionUpgradeOption, VersionUpgradeOptions);
        const raiPolicyName = d.raiPolicyName === undefined ? undefined : r.string(`${path}.raiPolicyName`, d.raiPolicyName, Patterns.raiPolicyName);
        if (name && model && version && sku && capacity && versionUpgradeOption) {
            result.push({ name, model, version, sku, capacity, versionUpgradeOption, ...(raiPolicyName ? { raiPolicyName } : {}) });
        }
    });
    return result;
}

function readStringList(r: Reader, path: string, value: Json | undefined, check: (item: string) => string | undefined): string[] {
    if (value === undefined) return [];
    const list = r.list(path, value);
    if (!list) return [];
    const result: string[] = [];
    list.forEach((item, index) => {
        const itemPath = `${path}[${index}]`;
        if (typeof item !== "string") {
            r.report(itemPath, `${show(item)} is not allowed; expected a string`);
            return;
        }
        const problem = check(item);
        if (problem) {
            r.report(itemPath, `${show(item)} ${problem}`);
        } else if (result.includes(item)) {
            r.report(itemPath, `${show(item)} is listed twice`);
        } else {
            result.push(item);
        }
    });
    return result;
}

function readPrivateEndpoint(r: Reader, value: Json | undefined): PrivateEndpointConfig | undefined {
    if (value === undefined) return undefined;
    const pe = r.object("privateEndpoint", value);
    if (!pe) return undefined;
    r.unknownKeys("privateEndpoint", pe, ["subnetId", "vnetAddressSpace", "subnetAddressPrefix", "dnsZoneId"]);

    let subnet: SubnetChoice | undefined;
    const creates = pe.vnetAddressSpace !== undefined || pe.subnetAddressPrefix !== undefined;
    if (pe.subnetId !== undefined && creates) {
        r.report("privateEndpoint", "sets both subnetId and vnetAddressSpace/subnetAddressPrefix; use an existing subnet or let the stack create one, not both");
    } else if (pe.subnetId !== undefined) {
        const subnetId = r.string("privateEndpoint.subnetId", pe.subnetId);
        const problem = subnetId && checkResourceId(subnetId, "subnet");
        if (problem) r.report("privateEndpoint.subnetId", `${show(subnetId)} ${problem}`);
        else if (subnetId) subnet = { kind: "existing", subnetId };
    } else if (creates) {
        const space = readCidr(r, "privateEndpoint.vnetAddressSpace", pe.vnetAddressSpace);
        const prefix = readCidr(r, "privateEndpoint.subnetAddressPrefix", pe.subnetAddressPrefix);
        if (space && prefix) {
            const [outer, inner] = [parseCidr(space), parseCidr(prefix)];
            if (typeof outer !== "string" && typeof inner !== "string" && !cidrContains(outer, inner)) {
                r.report("privateEndpoint.subnetAddressPrefix", `${show(prefix)} lies outside vnetAddressSpace ${space}; choose a block inside it`);
            } else if (typeof inner !== "string" && inner.prefixLength > 29) {
                r.report("privateEndpoint.subnetAddressPrefix", `${show(prefix)} is too small; Azure subnets need at least a /29`);
            } else {
                subnet = { kind: "create", vnetAddressSpace: space, subnetAddressPrefix: prefix };
            }
        }
    } else {
        r.report("privateEndpoint", "needs a subnet: set subnetId (existing subnet) or vnetAddressSpace and subnetAddressPrefix (the stack creates them)");
    }

    let dnsZone: DnsZoneChoice = { kind: "create" };
    if (pe.dnsZoneId !== undefined) {
        const zoneId = r.string("privateEndpoint.dnsZoneId", pe.dnsZoneId);
        const problem = zoneId && checkResourceId(zoneId, "privateDnsZone");
        if (problem) {
            r.report("privateEndpoint.dnsZoneId", `${show(zoneId)} ${problem}`);
        } else if (zoneId && !zoneId.toLowerCase().endsWith(`/${OpenAiPrivateDnsZone}`)) {
            r.report("privateEndpoint.dnsZoneId", `${show(zoneId)} is not a ${OpenAiPrivateDnsZone} zone; a kind-OpenAI endpoint resolves only through that zone`);
        } else if (zoneId) {
            dnsZone = { kind: "existing", zoneId };
        }
    }
    return subnet ? { subnet, dnsZone } : undefined;
}

function readCidr(r: Reader, path: string, value: Json | undefined): string | undefined {
    if (value === undefined) {
        r.report(path, "is required when the stack creates the virtual network; e.g. 10.20.0.0/24");
        return undefined;
    }
    const text = r.string(path, value);
    if (text === undefined) return undefined;
    const parsed = parseCidr(text);
    if (typeof parsed === "string") {
        r.report(path, `${show(text)} ${parsed}`);
        return undefined;
    }
    return text;
}

function readNetwork(r: Reader, value: Json | undefined, hasPrivateEndpoint: boolean): NetworkConfig | undefined {
    const n = value === undefined ? {} : r.object("network", value);
    if (!n) return undefined;
    r.unknownKeys("network", n, ["publicNetworkAccess", "defaultAction", "bypass", "ipRules", "virtualNetworkRules"]);
    const publicNetworkAccess =
        n.publicNetworkAccess === undefined ? (hasPrivateEndpoint ? "Disabled" : "Enabled") : r.oneOf("network.publicNetworkAccess", n.publicNetworkAccess, ["Enabled", "Disabled"] as const);
    const ipRules = readStringList(r, "network.ipRules", n.ipRules, checkIpRule);
    const virtualNetworkRules = readStringList(r, "network.virtualNetworkRules", n.virtualNetworkRules, (id) => checkResourceId(id, "subnet"));
    const hasRules = ipRules.length > 0 || virtualNetworkRules.length > 0;
    const defaultAction =
        n.defaultAction === undefined ? (publicNetworkAccess === "Disabled" || hasRules ? "Deny" : "Allow") : r.oneOf("network.defaultAction", n.defaultAction, ["Allow", "Deny"] as const);
    const bypass = n.bypass === undefined ? "None" : r.oneOf("network.bypass", n.bypass, ["None", "AzureServices"] as const);
    if (!publicNetworkAccess || !defaultAction || !bypass) return undefined;

    if (defaultAction === "Allow" && hasRules) {
        r.report("network.defaultAction", `"Allow" makes ipRules and virtualNetworkRules meaningless (everything is allowed); use "Deny"`);
    }
    if (publicNetworkAccess === "Disabled" && defaultAction === "Allow") {
        r.report("network.defaultAction", `"Allow" contradicts publicNetworkAccess "Disabled"; use "Deny"`);
    }
    if (!hasPrivateEndpoint && publicNetworkAccess === "Disabled") {
        r.report("network.publicNetworkAccess", `"Disabled" without privateEndpoint leaves the account unreachable; configure privateEndpoint or enable public access with ipRules`);
    } else if (!hasPrivateEndpoint && defaultAction === "Deny" && !hasRules) {
        r.report("network.defaultAction", `"Deny" with no ipRules, no virtualNetworkRules and no privateEndpoint leaves the account unreachable; add a rule or a private endpoint`);
    }
    return { publicNetworkAccess, defaultAction, bypass, ipRules, virtualNetworkRules };
}

function readRoleAssignments(r: Reader, value: Json | undefined): RoleAssignmentConfig[] {
    if (value === undefined) return [];
    const list = r.list("roleAssignments", value);
    if (!list) return [];
    const result: RoleAssignmentConfig[] = [];
    const seen = new Map<string, number>();
    const roleNames = Object.keys(AssignableRoles) as AssignableRole[];
    list.forEach((entry, index) => {
        const path = `roleAssignments[${index}]`;
        const a = r.object(path, entry);
        if (!a) return;
        r.unknownKeys(path, a, ["principalId", "principalType", "role", "description"]);
        const principalId = r.string(`${path}.principalId`, a.principalId);
        const guidProblem = principalId && checkGuid(principalId);
        if (guidProblem) r.report(`${path}.principalId`, `${show(principalId)} ${guidProblem}`);
        const principalType = r.oneOf(`${path}.principalType`, a.principalType, PrincipalTypes);
        let role: AssignableRole | undefined;
        if (typeof a.role === "string" && BroadRoles.some((b) => b.toLowerCase() === (a.role as string).toLowerCase())) {
            r.report(`${path}.role`, `${show(a.role)} is refused: it is far broader than an OpenAI account needs; use one of ${roleNames.join(", ")}`);
        } else {
            role = r.oneOf(`${path}.role`, a.role, roleNames);
        }
        const description = a.description === undefined ? undefined : r.string(`${path}.description`, a.description);
        if (principalId && !guidProblem && principalType && role) {
            const key = `${principalId.toLowerCase()}|${role}`;
            const earlier = seen.get(key);
            if (earlier !== undefined) {
                r.report(path, `assigns ${role} to ${principalId} again (see roleAssignments[${earlier}]); each principal needs a role once`);
                return;
            }
            seen.set(key, index);
            result.push({ principalId: principalId.toLowerCase(), principalType, role, ...(description ? { description } : {}) });
        }
    });
    return result;
}

function readDiagnostics(r: Reader, value: Json | undefined): DiagnosticsConfig | undefined {
    const d = value === undefined ? {} : r.object("diagnostics", value);
    if (!d) return undefined;
    r.unknownKeys("diagnostics", d, ["enabled", "workspaceId", "retentionInDays"]);
    const enabled = d.enabled === undefined ? true : r.boolean("diagnostics.enabled", d.enabled);
    if (enabled === false) return { enabled: false };
    if (d.workspaceId !== undefined && d.retentionInDays !== undefined) {
        r.report("diagnostics.retentionInDays", "applies only to a workspace the stack creates; remove it or remove workspaceId");
        return undefined;
    }
    if (d.workspaceId !== undefined) {
        const workspaceId = r.string("diagnostics.workspaceId", d.workspaceId);
        const problem = workspaceId && checkResourceId(workspaceId, "logAnalyticsWorkspace");
        if (problem) r.report("diagnostics.workspaceId", `${show(workspaceId)} ${problem}`);
        return workspaceId && !problem && enabled ? { enabled: true, workspace: { kind: "existing", workspaceId } } : undefined;
    }
    const retentionInDays = d.retentionInDays === undefined ? 30 : r.integer("diagnostics.retentionInDays", d.retentionInDays, 30, 730, "days of Log Analytics retention");
    return retentionInDays && enabled ? { enabled: true, workspace: { kind: "create", retentionInDays } } : undefined;
}

function readProtection(r: Reader, value: Json | undefined, environment: string | undefined): ProtectionConfig | undefined {
    const p = value === undefined ? {} : r.object("protection", value);
    if (!p) return undefined;
    r.unknownKeys("protection", p, ["protect", "lock"]);
    // Production is protected unless the stack says otherwise; other environments stay disposable.
    const isProd = environment === "prod";
    const protect = p.protect === undefined ? isProd : r.boolean("protection.protect", p.protect);
    const lock = p.lock === undefined ? isProd : r.boolean("protection.lock", p.lock);
    return protect === undefined || lock === undefined ? undefined : { protect, lock };
}

/**
 * Validates a stack's configuration.
 * @param raw every key of the `aoai` namespace without the prefix, valued as Pulumi hands them over.
 * @param stack the stack name; the default environment.
 * @throws ConfigError listing every problem.
 */
export function parseStackConfig(raw: Record<string, string>, stack: string): StackConfig {
    const r = new Reader();
    r.unknownKeys("", raw, TopLevelKeys);
    const value = (key: (typeof TopLevelKeys)[number]) => decode(r, key, raw[key]);

    const location = value("location") === undefined ? (r.report("location", "is required; e.g. eastus or swedencentral"), undefined) : r.string("location", value("location"), Patterns.location);
    const environment = r.string("environment", value("environment") ?? stack, Patterns.environment);
    const namePrefix = value("namePrefix") === undefined ? (r.report("namePrefix", "is required; e.g. contoso (used in every resource name)"), undefined) : r.string("namePrefix", value("namePrefix"), Patterns.namePrefix);
    const tags = readTags(r, value("tags"));
    let customSubdomain: string | undefined;
    if (value("customSubdomain") !== undefined) {
        customSubdomain = r.string("customSubdomain", value("customSubdomain"));
        const problem = customSubdomain && checkCustomSubdomain(customSubdomain);
        if (problem) {
            r.report("customSubdomain", `${show(customSubdomain)} ${problem}`);
            customSubdomain = undefined;
        }
    }
    const disableLocalAuth = value("disableLocalAuth") === undefined ? true : r.boolean("disableLocalAuth", value("disableLocalAuth"));
    const restore = value("restore") === undefined ? false : r.boolean("restore", value("restore"));
    const deployments = readDeployments(r, value("deployments"));
    const privateEndpoint = readPrivateEndpoint(r, value("privateEndpoint"));
    const network = readNetwork(r, value("network"), value("privateEndpoint") !== undefined);
    const roleAssignments = readRoleAssignments(r, value("roleAssignments"));
    const grantDeployerAccess = value("grantDeployerAccess") === undefined ? false : r.boolean("grantDeployerAccess", value("grantDeployerAccess"));
    const deployerPrincipalType = value("deployerPrincipalType") === undefined ? "ServicePrincipal" : r.oneOf("deployerPrincipalType", value("deployerPrincipalType"), DeployerPrincipalTypes);
    const diagnostics = readDiagnostics(r, value("diagnostics"));
    const protection = readProtection(r, value("protection"), environment);

    if (
        r.problems.length > 0 ||
        !location || !environment || !namePrefix || disableLocalAuth === undefined || restore === undefined ||
        !network || grantDeployerAccess === undefined || !deployerPrincipalType || !diagnostics || !protection
    ) {
        throw new ConfigError(r.problems);
    }
    return {
        stack,
        location,
        environment,
        namePrefix,
        tags,
        ...(customSubdomain ? { customSubdomain } : {}),
        disableLocalAuth,
        restore,
        deployments,
        network,
        ...(privateEndpoint ? { privateEndpoint } : {}),
        roleAssignments,
        grantDeployerAccess,
        deployerPrincipalType,
        diagnostics,
        protection,
    };
}
