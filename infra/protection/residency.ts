/**
 * Where a deployment may process prompts and completions, by its SKU (Microsoft Learn, "deployment
 * types"): Global* anywhere the model runs, DataZone* anywhere in the account's data zone, Standard and
 * ProvisionedManaged in the account's Azure geography. Shared by the stack validation, the policy pack
 * and the readable plan.
 */
import zones from "./data/dataZones.json";

export const DataResidencies = ["none", "datazone", "region"] as const;
export type DataResidency = (typeof DataResidencies)[number];

/** The data zone a region belongs to, if any. */
export function dataZoneOf(location: string): string | undefined {
    return Object.entries(zones.zones as Record<string, string[]>).find(([, regions]) => regions.includes(location))?.[0];
}

/** Where a deployment of this SKU in this region may process data, in words. */
export function processingScope(sku: string, location: string): string {
    if (sku.startsWith("Global")) return "any geography where the model is deployed";
    if (sku.startsWith("DataZone")) return `anywhere in the ${dataZoneOf(location) ?? "(no)"} data zone`;
    return `the Azure geography of ${location}`;
}

/** Why a SKU breaks a residency promise in this region, or undefined. */
export function residencyProblem(residency: DataResidency, sku: string, location: string): string | undefined {
    if (residency === "none") return undefined;
    if (sku.startsWith("Global")) return `${sku} may process prompts in any geography; dataResidency ${residency} allows ${residency === "region" ? "Standard or ProvisionedManaged" : "DataZone* or Standard SKUs"}`;
    if (residency === "region" && sku.startsWith("DataZone")) return `${sku} may process prompts anywhere in the data zone; dataResidency region allows Standard or ProvisionedManaged`;
    if (residency === "datazone" && sku.startsWith("DataZone") && !dataZoneOf(location)) return `${location} belongs to no data zone, so ${sku} is not offered there; choose a region in one (infra/protection/data/dataZones.json)`;
    return undefined;
}
