/**
 * What the offline plan knows of a model version's lifecycle (infra/deployments/data/modelLifecycle.json, from
 * Microsoft's retirement table): a version that has retired is refused, one retiring within
 * RetiringWarnDays or deprecated (no new customers) is warned about, and an unknown one is left to the
 * preflight, which reads Azure's own dates per region. Dates are whole days in UTC.
 */
import data from "./data/modelLifecycle.json";

/** How far ahead a retirement is warned about (the preflight's default too). */
export const RetiringWarnDays = 90;

/**
 * A row as Microsoft's table gives it (lifecycle GA, Legacy, Deprecated, Retired) or as the preflight's
 * --write-lifecycle writes it from ARM (GenerallyAvailable, Deprecating, Deprecated; a retirement may be
 * missing, and per-SKU dates may follow).
 */
export interface LifecycleRow {
    model: string;
    version: string;
    lifecycle: string;
    retirement?: string | null;
    replacement?: string | null;
    /** Each deployment SKU's own retirement, where ARM lists one (the preflight writes these). */
    skus?: Record<string, string | null>;
}

export type Lifecycle =
    | { kind: "unknown" }
    | { kind: "retired" | "retiring" | "deprecated" | "current"; lifecycle: string; retirement: string; days: number; replacement?: string };

const committedRows: readonly LifecycleRow[] = data.versions;

function daysUntil(date: string, today: Date): number {
    const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
    return Math.round((Date.parse(`${date}T00:00:00Z`) - start) / 86_400_000);
}

/**
 * @param sku the deployment's SKU: where the data lists a date for it, the earlier of that and the
 *   version's own counts (Azure retires a version SKU by SKU).
 * @param rows the lifecycle data; the committed file unless a test gives its own.
 */
export function lifecycleOf(model: string, version: string, today: Date, sku?: string, rows: readonly LifecycleRow[] = committedRows): Lifecycle {
    const row = rows.find((r) => r.model === model && r.version === version);
    if (!row) return { kind: "unknown" };
    const skuDate = sku ? row.skus?.[sku] : undefined;
    const retirement = [row.retirement, skuDate].filter((d): d is string => typeof d === "string").sort()[0];
    // No date listed: nothing to count down to (Azure has announced none).
    const days = retirement ? daysUntil(retirement, today) : Number.POSITIVE_INFINITY;
    const deprecated = /^Deprecat/.test(row.lifecycle);
    const kind = days <= 0 || row.lifecycle === "Retired" ? "retired" : days <= RetiringWarnDays ? "retiring" : deprecated ? "deprecated" : "current";
    return { kind, lifecycle: row.lifecycle, retirement: retirement ?? "no date listed", days, ...(row.replacement ? { replacement: row.replacement } : {}) };
}

const instead = (l: { replacement?: string }) => (l.replacement ? `; Microsoft names ${l.replacement} as its replacement` : "");

/** One line for the readable plan: the status and the date, and what to do when it is not current. */
export function describeLifecycle(model: string, version: string, today: Date, sku?: string): string {
    const l = lifecycleOf(model, version, today, sku);
    switch (l.kind) {
        case "unknown":
            return `${model} ${version}: not in infra/deployments/data/modelLifecycle.json, so not checked offline; the preflight reads its dates from Azure`;
        case "retired":
            return `${model} ${version}: RETIRED on ${l.retirement}${instead(l)}`;
        case "retiring":
            return `${model} ${version}: WARNING retires on ${l.retirement}, in ${l.days} days${instead(l)}`;
        case "deprecated":
            return `${model} ${version}: WARNING deprecated (no new customers), retires on ${l.retirement}${instead(l)}`;
        default:
            return `${model} ${version}: ${l.lifecycle}, retires on ${l.retirement}`;
    }
}

/** A problem for a retired version, naming the date and the replacement; none otherwise. */
export function retiredProblem(model: string, version: string, today: Date, sku?: string): string | undefined {
    const l = lifecycleOf(model, version, today, sku);
    return l.kind === "retired" ? `"${version}" of ${model} retired on ${l.retirement} (infra/deployments/data/modelLifecycle.json, from Microsoft's retirement table)${instead(l)}; pin a current version` : undefined;
}

/** True for the versions a plan warns about: retiring within RetiringWarnDays, or deprecated. */
export function needsWarning(model: string, version: string, today: Date, sku?: string): boolean {
    const kind = lifecycleOf(model, version, today, sku).kind;
    return kind === "retiring" || kind === "deprecated";
}
