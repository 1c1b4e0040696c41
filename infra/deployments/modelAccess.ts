/**
 * Who may deploy a model version (infra/deployments/data/modelAccess.json, from Microsoft's models and
 * retirement pages): some versions need registration (a form Microsoft approves per subscription), and
 * a GA version closes to subscriptions that never deployed it 12 months after its release. A stack that
 * needs either fails its first `pulumi up` in a subscription that is not approved, or is too late, with
 * everything after the deployment in the account's chain never running. The offline plan warns; the
 * preflight, which knows the subscription's deployments, decides.
 */
import data from "./data/modelAccess.json";
import { RetiringWarnDays } from "./modelLifecycle";

export interface AccessRow {
    model: string;
    version: string;
    registration: boolean;
    form?: string;
    closesToNewSubscriptions: string;
}

const committedRows: readonly AccessRow[] = data.versions;

/** What stands between a new subscription and this version, as sentences; empty when nothing does (or the data does not know it). */
export function accessWarnings(model: string, version: string, today: Date, rows: readonly AccessRow[] = committedRows): string[] {
    const row = rows.find((r) => r.model === model && r.version === version);
    if (!row) return [];
    const warnings: string[] = [];
    if (row.registration) {
        warnings.push(`${model} ${version} needs registration: only subscriptions Microsoft approved can deploy it (${row.form ?? "Microsoft's models page"})`);
    }
    const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
    const days = Math.round((Date.parse(`${row.closesToNewSubscriptions}T00:00:00Z`) - start) / 86_400_000);
    if (days <= 0) {
        warnings.push(`${model} ${version} closed on ${row.closesToNewSubscriptions} to subscriptions that never deployed it: a new subscription cannot create it; pin a newer version`);
    } else if (days <= RetiringWarnDays) {
        warnings.push(`${model} ${version} closes on ${row.closesToNewSubscriptions}, in ${days} days, to subscriptions that never deployed it`);
    }
    return warnings;
}
