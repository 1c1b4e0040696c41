/**
 * The regions section: secondary regions beside the primary (`location`), each with its own account
 * and the same deployments, for failover. Key `regions` (a list of `location`, `priority`, `capacity`).
 */
import { ConfigSection, Json, Reader, show } from "./core/configReader";
import type { ProjectConfig } from "./foundry/projects.config";
import type { ModelDeploymentConfig } from "./deployments/deployments.config";
import type { DataResidency } from "./protection/residency";
import { dataZoneOf } from "./protection/residency";
import { checkAzureRegion } from "./core/validators";
import { ResourceNames, resourceNames } from "./core/naming";

export interface SecondaryRegionConfig {
    /** Required. An Azure region other than the primary. */
    location: string;
    /** Optional. Defaults to 2. The gateway's pool priority: the primary is 1, a larger number is tried later. */
    priority: number;
    /** Optional. Defaults to the primary's capacity. Capacity per deployment name in this region. */
    capacity: Record<string, number>;
}

const Fields = ["location", "priority", "capacity"] as const;
/** The primary's pool priority; APIM tries the lowest number first. */
export const PrimaryPriority = 1;

function readRegion(r: Reader, path: string, entry: Json, primary: string | undefined, seen: Set<string>, deployments: ModelDeploymentConfig[]): SecondaryRegionConfig | undefined {
    const e = r.object(path, entry);
    if (!e) return undefined;
    r.unknownKeys(path, e, Fields);
    const location = r.checked(`${path}.location`, e.location, checkAzureRegion);
    if (location && location === primary) {
        r.report(`${path}.location`, `${show(location)} is the primary location; a secondary must be another region`);
    } else if (location && seen.has(location)) {
        r.report(`${path}.location`, `${show(location)} is listed twice`);
    }
    if (location) seen.add(location);
    let priority: number | undefined = 2;
    if (e.priority !== undefined) {
        priority = r.integer(`${path}.priority`, e.priority, 1, 100, "pool priority; lower is tried first");
        if (priority === PrimaryPriority) {
            r.report(`${path}.priority`, `1 is the primary's priority; a secondary at 1 would share the first group and leave no primary; use 2 or more`);
            priority = undefined;
        }
    }
    const capacity: Record<string, number> = Object.fromEntries(deployments.map((d) => [d.name, d.capacity]));
    if (e.capacity !== undefined) {
        const c = r.object(`${path}.capacity`, e.capacity);
        for (const [name, value] of Object.entries(c ?? {})) {
            if (!(name in capacity)) {
                r.report(`${path}.capacity.${name}`, `is not a deployment of this stack (${deployments.map((d) => d.name).join(", ")})`);
                continue;
            }
            const n = r.integer(`${path}.capacity.${name}`, value, 1, 100000, "thousands of tokens per minute, or PTUs for provisioned SKUs");
            if (n !== undefined) capacity[name] = n;
        }
    }
    return location && priority !== undefined ? { location, priority, capacity } : undefined;
}

/** What the other sections chose that a second region cannot follow. */
interface RegionNeeds {
    location?: string;
    deployments?: ModelDeploymentConfig[];
    dataResidency?: DataResidency;
    /** An existing Key Vault key: Azure requires the vault in the account's region, so it serves one region only. */
    existingKey: boolean;
    /** Diagnostics to an event hub or storage account, which Azure requires in the account's region. */
    regionalDestinations: boolean;
}

export const regionsSection: ConfigSection<{ regions: SecondaryRegionConfig[] }, RegionNeeds> = {
    keys: { regions: { fields: Fields } },
    read(r, get, { location, deployments, dataResidency, existingKey, regionalDestinations }) {
        const value = get("regions");
        if (value === undefined) return { regions: [] };
        const list = r.list("regions", value);
        if (!list) return undefined;
        if (list.length > 0 && existingKey) {
            r.report("regions", "cannot share encryption.keyVaultId: Azure requires each account's key vault in its own region; use encryption.createKeyVault: true, which makes a vault per region");
        }
        if (list.length > 0 && regionalDestinations) {
            r.report("regions", "cannot share diagnostics.eventHub or diagnostics.storageAccountId: Azure requires them in each account's region; send every region to the Log Analytics workspace instead");
        }
        const seen = new Set<string>();
        const regions = list.map((entry, i) => readRegion(r, `regions[${i}]`, entry, location, seen, deployments ?? []));
        // The residency promise holds in every region that processes prompts, not only the primary.
        for (const [i, region] of regions.entries()) {
            if (!region || !location) continue;
            if (dataResidency === "region") {
                r.report(`regions[${i}].location`, `dataResidency region keeps prompts in ${location}'s geography; a second region would process them elsewhere. Use datazone with regions of one data zone, or no secondary`);
            } else if (dataResidency === "datazone" && dataZoneOf(region.location) !== dataZoneOf(location)) {
                r.report(`regions[${i}].location`, `${show(region.location)} is not in ${location}'s data zone (${dataZoneOf(location) ?? "none"}), which dataResidency datazone promises; choose a region there (infra/protection/data/dataZones.json)`);
            }
        }
        return regions.includes(undefined) ? undefined : { regions: regions as SecondaryRegionConfig[] };
    },
};

/** One region of the environment: the primary (`location`) or a secondary from `regions`. */
export interface RegionPlan {
    location: string;
    /** Undefined for the primary; the location for a secondary (it suffixes names). */
    secondary?: string;
    /** Pool priority at the gateway. */
    priority: number;
    /** The stack's deployments with this region's capacity. */
    deployments: ModelDeploymentConfig[];
    /** Foundry projects: the primary's account holds them; a secondary serves the same deployments only. */
    projects: ProjectConfig[];
    /** Azure names of the region's own resources; the primary's also name what the regions share. */
    names: ResourceNames;
}

/** Every region of the stack, the primary first, then each secondary with its own capacities. */
export function regionPlans(config: {
    namePrefix: string;
    environment: string;
    location: string;
    deployments: ModelDeploymentConfig[];
    projects: ProjectConfig[];
    regions: SecondaryRegionConfig[];
}): RegionPlan[] {
    return [
        { location: config.location, priority: PrimaryPriority, deployments: config.deployments, projects: config.projects, names: resourceNames(config) },
        ...config.regions.map((r) => ({
            location: r.location,
            secondary: r.location,
            priority: r.priority,
            deployments: config.deployments.map((d) => ({ ...d, capacity: r.capacity[d.name] })),
            projects: [],
            names: resourceNames(config, r.location),
        })),
    ];
}
