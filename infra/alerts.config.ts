/**
 * The alerts section: an action group and the metric alerts that tell the owners, before their users
 * do, that the account is running out of quota, throttling, failing or slow. Off unless the stack
 * names an action group. Key `alerts`.
 */
import { ConfigSection, Json, Reader, isObject } from "./configReader";
import { checkEmail } from "./validators";

export interface AlertsConfig {
    /** Required. Who is told: an action group with e-mail receivers. */
    actionGroup: { shortName: string; emails: string[] };
    /** Optional. Defaults to 80: a deployment's token rate above this share of its own capacity (PTU utilisation for provisioned SKUs). */
    quotaSaturationPercent: number;
    /** Optional. Defaults to 10: more 429 answers than this in 5 minutes. */
    throttledRequests: number;
    /** Optional. Defaults to 99: availability (non-5xx share) below this percent over 5 minutes. */
    availabilityFloorPercent: number;
    /**
     * Optional. Defaults to 10000 ms. AMBA's 200 ms is for the first token of streamed answers; a
     * non-streaming chat call answers only once the whole completion is written, so seconds are normal.
     */
    latencyCeilingMs: number;
    /** Optional. Defaults to none (no alert): more requests blocked by the content filter than this in 5 minutes. */
    contentFilterRejections?: number;
}

const Fields = ["actionGroup", "quotaSaturationPercent", "throttledRequests", "availabilityFloorPercent", "latencyCeilingMs", "contentFilterRejections"] as const;

function readActionGroup(r: Reader, value: Json | undefined): AlertsConfig["actionGroup"] | undefined {
    if (value === undefined) {
        r.report("alerts.actionGroup", "is required when alerts are set; name who is told: {shortName, emails}");
        return undefined;
    }
    const g = r.object("alerts.actionGroup", value);
    if (!g) return undefined;
    r.unknownKeys("alerts.actionGroup", g, ["shortName", "emails"]);
    // Azure shows the short name in SMS and e-mail subjects and allows 12 characters.
    const shortName = r.string("alerts.actionGroup.shortName", g.shortName, { pattern: /^[A-Za-z0-9][A-Za-z0-9 _-]{0,11}$/, allowed: "1-12 letters, digits, spaces, '_' or '-', e.g. aoai-prod" });
    const emails = r.stringList("alerts.actionGroup.emails", g.emails, checkEmail);
    if (emails.length === 0) r.report("alerts.actionGroup.emails", "needs at least one address: an action group nobody receives is silence");
    return shortName && emails.length > 0 ? { shortName, emails } : undefined;
}

export const alertsSection: ConfigSection<{ alerts?: AlertsConfig }> = {
    keys: { alerts: { fields: Fields } },
    read(r, get) {
        const value = get("alerts");
        if (value === undefined || (isObject(value) && Object.keys(value).length === 0)) return {};
        const a = r.object("alerts", value);
        if (!a) return undefined;
        r.unknownKeys("alerts", a, Fields);
        const actionGroup = readActionGroup(r, a.actionGroup);
        const quotaSaturationPercent = a.quotaSaturationPercent === undefined ? 80 : r.integer("alerts.quotaSaturationPercent", a.quotaSaturationPercent, 1, 100, "percent of the deployment's capacity");
        const throttledRequests = a.throttledRequests === undefined ? 10 : r.integer("alerts.throttledRequests", a.throttledRequests, 0, 100000, "429 answers in 5 minutes");
        const availabilityFloorPercent = a.availabilityFloorPercent === undefined ? 99 : r.integer("alerts.availabilityFloorPercent", a.availabilityFloorPercent, 1, 100, "percent");
        const latencyCeilingMs = a.latencyCeilingMs === undefined ? 10000 : r.integer("alerts.latencyCeilingMs", a.latencyCeilingMs, 100, 600000, "milliseconds to response");
        const contentFilterRejections = a.contentFilterRejections === undefined ? undefined : r.integer("alerts.contentFilterRejections", a.contentFilterRejections, 0, 100000, "blocked requests in 5 minutes");
        if (!actionGroup || quotaSaturationPercent === undefined || throttledRequests === undefined || availabilityFloorPercent === undefined || latencyCeilingMs === undefined) return undefined;
        if (a.contentFilterRejections !== undefined && contentFilterRejections === undefined) return undefined;
        return {
            alerts: { actionGroup, quotaSaturationPercent, throttledRequests, availabilityFloorPercent, latencyCeilingMs, ...(contentFilterRejections !== undefined ? { contentFilterRejections } : {}) },
        };
    },
};
