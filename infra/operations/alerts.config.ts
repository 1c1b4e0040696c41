/**
 * The alerts section: an action group and the metric alerts that tell the owners, before their users
 * do, that the account is running out of quota, throttling, failing or slow. Off unless the stack
 * names an action group. Key `alerts`.
 */
import { ConfigSection, Json, Reader, isEmptyMapping } from "../core/configReader";
import { checkEmail } from "../core/validators";

export interface AlertsConfig {
    /** Required. Who is told: an action group with e-mail receivers, and a webhook from `alertWebhookUrl`. */
    actionGroup: { shortName: string; emails: string[]; webhookUrl?: string };
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
    keys: {
        alerts: { fields: Fields },
        // Its own key, because Pulumi encrypts whole keys: a secret inside `alerts` would hide the thresholds too.
        alertWebhookUrl: { type: "string", secret: { offlineStandIn: "https://offline-stand-in.invalid/webhook" } },
    },
    read(r, get) {
        const value = get("alerts");
        const webhook = get("alertWebhookUrl") || undefined;
        if (value === undefined || isEmptyMapping(value)) {
            if (webhook !== undefined) r.report("alertWebhookUrl", "goes with alerts; set alerts.actionGroup too, or remove it");
            return webhook === undefined ? {} : undefined;
        }
        const a = r.object("alerts", value);
        if (!a) return undefined;
        r.unknownKeys("alerts", a, Fields);
        const group = readActionGroup(r, a.actionGroup);
        // Chat and incident tools take a URL with a token in it: https only, and never printed.
        const webhookUrl = typeof webhook === "string" && /^https:\/\/[^\s/]+\.[^\s/]+(\/\S*)?$/.test(webhook) ? webhook : undefined;
        if (webhook !== undefined && !webhookUrl) {
            // The message never quotes the value: it is a credential.
            r.report("alertWebhookUrl", "is not an https URL such as https://hooks.example.com/services/... (the value is not shown: it is a secret)");
            return undefined;
        }
        const actionGroup = group && { ...group, ...(webhookUrl ? { webhookUrl } : {}) };
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
