/**
 * The deployments section: the models callers use, each pinned to a version with its capacity.
 * Key `deployments` (a list of `name`, `model`, `version`, `sku`, `capacity`, `versionUpgradeOption`, `raiPolicyName`,
 * `spilloverTo`).
 */
import { retiredProblem } from "./modelLifecycle";
import { ConfigSection, Json, Reader, show } from "../core/configReader";

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
    /** Optional. Defaults to Azure's default content filter. Content filter (RAI policy) name. */
    raiPolicyName?: string;
    /**
     * Optional. Defaults to none. For a provisioned deployment: the standard deployment of the same model,
     * version and data-processing level (Global, Data Zone, regional) that takes its overflow (`spilloverDeploymentName`).
     */
    spilloverTo?: string;
}

/** For each provisioned SKU, the standard SKU of the same data-processing level that may take its overflow. */
export const SpilloverTargets: Partial<Record<DeploymentSku, DeploymentSku>> = {
    GlobalProvisionedManaged: "GlobalStandard",
    DataZoneProvisionedManaged: "DataZoneStandard",
    ProvisionedManaged: "Standard",
};

const Rules = {
    name: { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$/, allowed: "2-64 letters, digits, '_', '.' or '-', starting with a letter or digit" },
    model: { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, allowed: "a model name such as gpt-4o-mini" },
    version: {
        pattern: /^[0-9][0-9A-Za-z.-]{0,31}$/,
        allowed: "a pinned model version such as 2024-07-18 (never 'latest' or empty: a floating version changes behaviour without a diff)",
    },
    raiPolicyName: { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, allowed: "a content filter name such as Microsoft.DefaultV2" },
} as const;

const DeploymentFields = ["name", "model", "version", "sku", "capacity", "versionUpgradeOption", "raiPolicyName", "spilloverTo"] as const;

/** Azure OpenAI's quotas and limits page: "Max Standard deployments per resource". */
export const MaxStandardDeployments = 32;

const Required = "list at least one model deployment (name, model, version, sku, capacity)";

/** One deployment; `seen` maps lower-cased names to the index that used them first. */
function readDeployment(r: Reader, path: string, entry: Json, seen: Map<string, string>): ModelDeploymentConfig | undefined {
    const d = r.object(path, entry);
    if (!d) return undefined;
    r.unknownKeys(path, d, DeploymentFields);
    const name = r.string(`${path}.name`, d.name, Rules.name);
    if (name !== undefined) {
        const earlier = seen.get(name.toLowerCase());
        if (earlier !== undefined) {
            r.report(`${path}.name`, `${show(name)} is already used by ${earlier}; deployment names must be unique (case-insensitive)`);
        }
        seen.set(name.toLowerCase(), path);
    }
    const model = r.string(`${path}.model`, d.model, Rules.model);
    const version = r.string(`${path}.version`, d.version, Rules.version);
    const sku = r.oneOf(`${path}.sku`, d.sku, DeploymentSkus);
    const capacity = r.integer(`${path}.capacity`, d.capacity, 1, 100000, "thousands of tokens per minute, or PTUs for provisioned SKUs");
    const versionUpgradeOption = d.versionUpgradeOption === undefined ? "OnceCurrentVersionExpired" : r.oneOf(`${path}.versionUpgradeOption`, d.versionUpgradeOption, VersionUpgradeOptions);
    const raiPolicyName = d.raiPolicyName === undefined ? undefined : r.string(`${path}.raiPolicyName`, d.raiPolicyName, Rules.raiPolicyName);
    const spilloverTo = d.spilloverTo === undefined ? undefined : r.string(`${path}.spilloverTo`, d.spilloverTo, Rules.name);
    if (!(name && model && version && sku && capacity && versionUpgradeOption) || (d.spilloverTo !== undefined && !spilloverTo)) return undefined;
    return { name, model, version, sku, capacity, versionUpgradeOption, ...(raiPolicyName ? { raiPolicyName } : {}), ...(spilloverTo ? { spilloverTo } : {}) };
}

/**
 * Spillover as Azure takes it: only from a provisioned deployment, to a standard one of the same model
 * and version and the same data-processing level in the same account (Microsoft's spillover traffic
 * management: "at least one active pay-as-you-go deployment of the same model and version").
 */
function checkSpillover(r: Reader, path: string, source: ModelDeploymentConfig, all: (ModelDeploymentConfig | undefined)[]): void {
    const expected = SpilloverTargets[source.sku];
    const target = all.find((t) => t?.name === source.spilloverTo);
    if (!expected) {
        r.report(path, `is for provisioned deployments; ${source.name} is ${source.sku}, which has no capacity to overflow`);
    } else if (!target) {
        r.report(path, `${show(source.spilloverTo)} is not a deployment of this stack; name the ${expected} deployment of ${source.model} that takes the overflow`);
    } else if (target.name === source.name) {
        r.report(path, "names the deployment itself; name a standard deployment of the same model");
    } else if (target.sku !== expected) {
        r.report(path, `${show(target.name)} is ${target.sku}; a ${source.sku} deployment spills over only to ${expected} (the same data-processing level)`);
    } else if (target.model !== source.model || target.version !== source.version) {
        r.report(path, `${show(target.name)} serves ${target.model} ${target.version}, not ${source.model} ${source.version}; Azure spills over only to the same model and version`);
    }
}

export const deploymentsSection: ConfigSection<{ deployments: ModelDeploymentConfig[] }, { today: Date }> = {
    keys: { deployments: { required: true, fields: DeploymentFields } },
    read(r, get, { today }) {
        const value = get("deployments");
        if (value === undefined) {
            r.report("deployments", `is required; ${Required}`);
            return undefined;
        }
        const list = r.list("deployments", value);
        if (!list) return undefined;
        if (list.length === 0) r.report("deployments", `is empty; ${Required}`);
        const seen = new Map<string, string>();
        const deployments = list.map((entry, index) => readDeployment(r, `deployments[${index}]`, entry, seen));
        // A retired version answers only errors (410); deprecated or soon retiring ones are warned about in the plan.
        deployments.forEach((d, index) => {
            const problem = d && retiredProblem(d.model, d.version, today, d.sku);
            if (problem) r.report(`deployments[${index}].version`, problem);
        });
        deployments.forEach((d, index) => {
            if (d?.spilloverTo) checkSpillover(r, `deployments[${index}].spilloverTo`, d, deployments);
        });
        // Provisioned deployments (ProvisionedManaged, and its Global and DataZone kinds) are not among them.
        const standard = deployments.filter((d) => d !== undefined && !d.sku.endsWith("ProvisionedManaged")).length;
        if (standard > MaxStandardDeployments) {
            r.report("deployments", `has ${standard} standard deployments; Azure allows ${MaxStandardDeployments} per account (Azure OpenAI quotas and limits), so split them across accounts or regions`);
        }
        return { deployments: deployments.filter((d): d is ModelDeploymentConfig => d !== undefined) };
    },
};
