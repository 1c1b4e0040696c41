/**
 * The diagnostics section: where the account's logs and metrics go.
 * Key `diagnostics` (`enabled`, `workspaceId`, `retentionInDays`).
 */
import { ConfigSection } from "./configReader";
import { checkResourceId } from "./validators";

export type DiagnosticsConfig =
    | { enabled: false }
    | {
          enabled: true;
          /** An existing workspace (`workspaceId`), or one the stack creates with `retentionInDays` (default 30). */
          workspace: { kind: "existing"; workspaceId: string } | { kind: "create"; retentionInDays: number };
      };

const Fields = ["enabled", "workspaceId", "retentionInDays"] as const;
const DefaultRetentionInDays = 30;

export const diagnosticsSection: ConfigSection<{ diagnostics: DiagnosticsConfig }> = {
    keys: { diagnostics: { fields: Fields } },
    read(r, get) {
        const value = get("diagnostics");
        const d = value === undefined ? {} : r.object("diagnostics", value);
        if (!d) return undefined;
        r.unknownKeys("diagnostics", d, Fields);
        const enabled = d.enabled === undefined ? true : r.boolean("diagnostics.enabled", d.enabled);
        if (enabled === false) return { diagnostics: { enabled: false } };
        if (d.workspaceId !== undefined && d.retentionInDays !== undefined) {
            r.report("diagnostics.retentionInDays", "applies only to a workspace the stack creates; remove it or remove workspaceId");
            return undefined;
        }
        if (d.workspaceId !== undefined) {
            const workspaceId = r.checked("diagnostics.workspaceId", d.workspaceId, (id) => checkResourceId(id, "logAnalyticsWorkspace"));
            return workspaceId && enabled ? { diagnostics: { enabled: true, workspace: { kind: "existing", workspaceId } } } : undefined;
        }
        const retentionInDays =
            d.retentionInDays === undefined ? DefaultRetentionInDays : r.integer("diagnostics.retentionInDays", d.retentionInDays, 30, 730, "days of Log Analytics retention");
        return retentionInDays && enabled ? { diagnostics: { enabled: true, workspace: { kind: "create", retentionInDays } } } : undefined;
    },
};
