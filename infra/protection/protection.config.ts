/**
 * The protection section: what stops an accidental `pulumi destroy` or replacement of the account.
 * Key `protection` (`protect`, `lock`).
 */
import { ConfigSection } from "../core/configReader";

export interface ProtectionConfig {
    /** Optional. Defaults to `true` when the environment is `prod`, else `false`. Pulumi `protect` on the account. */
    protect: boolean;
    /** Optional. Defaults to `true` when the environment is `prod`, else `false`. A CanNotDelete lock on the account. */
    lock: boolean;
}

const Fields = ["protect", "lock"] as const;

export const protectionSection: ConfigSection<{ protection: ProtectionConfig }, { environment?: string }> = {
    keys: { protection: { fields: Fields } },
    read(r, get, { environment }) {
        const value = get("protection");
        const p = value === undefined ? {} : r.object("protection", value);
        if (!p) return undefined;
        r.unknownKeys("protection", p, Fields);
        // Production is protected unless the stack says otherwise; other environments stay disposable.
        const isProd = environment === "prod";
        const protect = p.protect === undefined ? isProd : r.boolean("protection.protect", p.protect);
        const lock = p.lock === undefined ? isProd : r.boolean("protection.lock", p.lock);
        return protect === undefined || lock === undefined ? undefined : { protection: { protect, lock } };
    },
};
