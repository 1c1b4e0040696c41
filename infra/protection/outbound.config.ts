/**
 * The outbound section: whether the account may call out at all (data loss prevention), and where.
 * Key `outbound` (`restrict`, `allowedFqdns`).
 */
import { ConfigSection, isEmptyMapping } from "../core/configReader";

export interface OutboundConfig {
    /** Optional. Defaults to `true` when the environment is `prod`, else `false`. */
    restrict: boolean;
    /** Optional. Defaults to none. Hosts (or IPs) the account may still reach, e.g. a Search service for "on your data". Up to 1000. */
    allowedFqdns: string[];
}

const Fields = ["restrict", "allowedFqdns"] as const;
const MaxAllowed = 1000;

const NotAHost = "is not a host name or IPv4 address such as contoso-search.search.windows.net";

/** A host name (its last label not all digits) or a dotted IPv4 address with every octet up to 255. */
function checkHost(value: string): string | undefined {
    if (/^[\d.]+$/.test(value)) {
        const octets = value.split(".");
        return octets.length === 4 && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255) ? undefined : NotAHost;
    }
    const hostName = /^(?=.{1,253}$)([a-z0-9*]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i.test(value);
    return hostName && !/\.\d+$/.test(value) ? undefined : NotAHost;
}

export const outboundSection: ConfigSection<{ outbound: OutboundConfig }, { environment?: string }> = {
    keys: { outbound: { fields: Fields } },
    read(r, get, { environment }) {
        const value = get("outbound");
        const o = value === undefined || isEmptyMapping(value) ? {} : r.object("outbound", value);
        if (!o) return undefined;
        r.unknownKeys("outbound", o, Fields);
        // Production keeps its data in; other environments stay easy to experiment with.
        const restrict = o.restrict === undefined ? environment === "prod" : r.boolean("outbound.restrict", o.restrict);
        const allowedFqdns = r.stringList("outbound.allowedFqdns", o.allowedFqdns, checkHost);
        if (allowedFqdns.length > MaxAllowed) r.report("outbound.allowedFqdns", `has ${allowedFqdns.length} entries; Azure allows ${MaxAllowed}`);
        if (restrict === false && allowedFqdns.length > 0) r.report("outbound.allowedFqdns", "applies only with restrict: true; set it, or remove the list");
        return restrict === undefined ? undefined : { outbound: { restrict, allowedFqdns } };
    },
};
