/**
 * The diagnostics section: where the account's logs and metrics go.
 * Key `diagnostics` (`enabled`, `workspaceId`, `retentionInDays`, `eventHub`, `storageAccountId`).
 */
import { ConfigSection, Json, Reader } from "../core/configReader";
import { checkResourceId } from "../core/validators";

export type DiagnosticsConfig =
    | { enabled: false }
    | {
          enabled: true;
          /** An existing workspace (`workspaceId`), or one the stack creates with `retentionInDays` (default 30). */
          workspace: { kind: "existing"; workspaceId: string } | { kind: "create"; retentionInDays: number };
          /** Optional. Defaults to none. Also stream to an existing event hub (same region as the account). */
          eventHub?: { authorizationRuleId: string; name: string };
          /** Optional. Defaults to none. Also archive to an existing Standard storage account (same region). */
          storageAccountId?: string;
      };

const Fields = ["enabled", "workspaceId", "retentionInDays", "eventHub", "storageAccountId"] as const;

/** The extra destinations; Azure allows one of each type per setting. */
function readExtra(r: Reader, d: Record<string, Json>): { eventHub?: { authorizationRuleId: string; name: string }; storageAccountId?: string } | undefined {
    let eventHub: { authorizationRuleId: string; name: string } | undefined;
    if (d.eventHub !== undefined) {
        const e = r.object("diagnostics.eventHub", d.eventHub);
        if (!e) return undefined;
        r.unknownKeys("diagnostics.eventHub", e, ["authorizationRuleId", "name"]);
        // Streaming needs Manage, Send and Listen: a namespace-level rule such as RootManageSharedAccessKey.
        const authorizationRuleId = r.checked("diagnostics.eventHub.authorizationRuleId", e.authorizationRuleId, (id) => checkResourceId(id, "eventHubAuthorizationRule"));
        const name = r.string("diagnostics.eventHub.name", e.name, { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$/, allowed: "the event hub's name, e.g. aoai-diagnostics" });
        if (!authorizationRuleId || !name) return undefined;
        eventHub = { authorizationRuleId, name };
    }
    const storageAccountId = d.storageAccountId === undefined ? undefined : r.checked("diagnostics.storageAccountId", d.storageAccountId, (id) => checkResourceId(id, "storageAccount"));
    if (d.storageAccountId !== undefined && !storageAccountId) return undefined;
    return { ...(eventHub ? { eventHub } : {}), ...(storageAccountId ? { storageAccountId } : {}) };
}
const DefaultRetentionInDays = 30;

export const diagnosticsSection: ConfigSection<{ diagnostics: DiagnosticsConfig }> = {
    keys: { diagnostics: { fields: Fields } },
    read(r, get) {
        const value = get("diagnostics");
        const d = value === undefined ? {} : r.object("diagnostics", value);
        if (!d) return undefined;
        r.unknownKeys("diagnostics", d, Fields);
        const enabled = d.enabled === undefined ? true : r.boolean("diagnostics.enabled", d.enabled);
        if (enabled === false) {
            // A setting under a switch that turns its section off would otherwise vanish unread.
            const ignored = Fields.filter((f) => f !== "enabled" && d[f] !== undefined);
            for (const f of ignored) r.report(`diagnostics.${f}`, "is set while diagnostics.enabled is false, so nothing would use it; remove it, or turn diagnostics on");
            return ignored.length ? undefined : { diagnostics: { enabled: false } };
        }
        if (d.workspaceId !== undefined && d.retentionInDays !== undefined) {
            r.report("diagnostics.retentionInDays", "applies only to a workspace the stack creates; remove it or remove workspaceId");
            return undefined;
        }
        const extra = readExtra(r, d);
        if (d.workspaceId !== undefined) {
            const workspaceId = r.checked("diagnostics.workspaceId", d.workspaceId, (id) => checkResourceId(id, "logAnalyticsWorkspace"));
            return workspaceId && enabled && extra ? { diagnostics: { enabled: true, workspace: { kind: "existing", workspaceId }, ...extra } } : undefined;
        }
        const retentionInDays =
            d.retentionInDays === undefined ? DefaultRetentionInDays : r.integer("diagnostics.retentionInDays", d.retentionInDays, 30, 730, "days of Log Analytics retention");
        return retentionInDays && enabled && extra ? { diagnostics: { enabled: true, workspace: { kind: "create", retentionInDays }, ...extra } } : undefined;
    },
};
