/**
 * The account section: how the Azure OpenAI account itself is set up.
 * Keys `kind`, `customSubdomain`, `disableLocalAuth`, `restore`, `userAssignedIdentityIds`.
 */
import { ConfigSection } from "../core/configReader";
import { checkCustomSubdomain, checkResourceId } from "../core/validators";
import { AccountKind, AccountKinds } from "../foundry/kind";

export interface AccountConfig {
    /** Optional. Defaults to `OpenAI`. `AIServices` makes a Foundry resource (projects, three private DNS zones); OpenAI -> AIServices upgrades an existing account in place. */
    kind: AccountKind;
    /** Optional. Defaults to one derived from the subscription and the account name (naming.ts). Changing it replaces the account. */
    customSubdomain?: string;
    /** Optional. Defaults to `true`: API keys are off and only Entra ID tokens work. */
    disableLocalAuth: boolean;
    /** Optional. Defaults to `false`. `true` recovers a soft-deleted account of the same name instead of creating one. */
    restore: boolean;
    /** Optional. Defaults to none. Existing user-assigned identities the account also carries, beside its system-assigned one. */
    userAssignedIdentityIds: string[];
}

export const accountSection: ConfigSection<AccountConfig> = {
    keys: {
        kind: { type: "string" },
        customSubdomain: { type: "string" },
        disableLocalAuth: { type: "boolean" },
        restore: { type: "boolean" },
        userAssignedIdentityIds: { type: "array" },
    },
    read(r, get) {
        const kind = get("kind") === undefined ? "OpenAI" : r.oneOf("kind", get("kind"), AccountKinds);
        // Empty means "derive one": Pulumi.yaml must declare a default for every optional key.
        const customSubdomain = get("customSubdomain") ? r.checked("customSubdomain", get("customSubdomain"), checkCustomSubdomain) : undefined;
        const disableLocalAuth = get("disableLocalAuth") === undefined ? true : r.boolean("disableLocalAuth", get("disableLocalAuth"));
        const restore = get("restore") === undefined ? false : r.boolean("restore", get("restore"));
        const userAssignedIdentityIds = r.stringList("userAssignedIdentityIds", get("userAssignedIdentityIds"), (id) => checkResourceId(id, "userAssignedIdentity"));
        if (!kind || disableLocalAuth === undefined || restore === undefined) return undefined;
        return { kind, ...(customSubdomain ? { customSubdomain } : {}), disableLocalAuth, restore, userAssignedIdentityIds };
    },
};
