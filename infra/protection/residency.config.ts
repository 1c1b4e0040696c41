/**
 * The data residency section: where the stack promises prompts are processed, checked against every
 * deployment's SKU. Key `dataResidency` (`none`, `datazone`, `region`).
 */
import type { ConfigSection } from "../core/configReader";
import type { ModelDeploymentConfig } from "../deployments/deployments.config";
import { DataResidencies, DataResidency, residencyProblem } from "./residency";

export interface ResidencyConfig {
    /** Optional. Defaults to `none`. `datazone`: no Global SKU; `region`: neither Global nor DataZone SKUs. */
    dataResidency: DataResidency;
}

export const residencySection: ConfigSection<ResidencyConfig, { location?: string; deployments?: ModelDeploymentConfig[] }> = {
    keys: { dataResidency: { type: "string" } },
    read(r, get, { location, deployments }) {
        const value = get("dataResidency");
        const dataResidency = value === undefined ? "none" : r.oneOf("dataResidency", value, DataResidencies);
        if (!dataResidency) return undefined;
        for (const [i, d] of (location ? (deployments ?? []) : []).entries()) {
            const problem = residencyProblem(dataResidency, d.sku, location!);
            if (problem) r.report(`deployments[${i}].sku`, `"${d.sku}" conflicts with dataResidency ${dataResidency}: ${problem}`);
        }
        return { dataResidency };
    },
};
