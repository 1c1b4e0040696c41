/**
 * The encryption section: a customer-managed key for the account's data at rest, in a Key Vault the
 * stack creates or one that exists. Key `encryption` (`createKeyVault`, `keyRotationDays`,
 * `keyExpiryDays`, `vaultFirewall`; or `keyVaultId`, `keyName`, `keyVersion`, `existingVault`; and
 * `grantWaitSeconds`).
 */
import { ConfigSection, Json, Reader, isEmptyMapping } from "../core/configReader";
import { checkResourceId } from "../core/validators";

/**
 * How a created vault's firewall lets the account read its key. Microsoft's Azure OpenAI CMK page says
 * allowing trusted Microsoft services is enough, while Key Vault's own trusted-services list has no
 * Azure AI services entry; Microsoft's doc fix (azure-docs#93237: "VNET scenarios won't work unless
 * MSI + allow trusted services") and the account's managed identity side with the first.
 * `trustedServices` (default): every network denied, trusted Azure services allowed.
 * `open`: the vault answers any network (still RBAC only), for a tenant where the first is refused.
 */
export const VaultFirewalls = ["trustedServices", "open"] as const;
export type VaultFirewall = (typeof VaultFirewalls)[number];

export type EncryptionConfig = (
    | {
          kind: "create";
          /** Optional. Defaults to 365. Key Vault makes a new key version this many days after the last one. */
          keyRotationDays: number;
          /** Optional. Defaults to 730. Each key version expires this many days after it is made. */
          keyExpiryDays: number;
          /** Optional. Defaults to `trustedServices`. See VaultFirewalls. */
          vaultFirewall: VaultFirewall;
      }
    | {
          kind: "existing";
          /** Required. The vault's resource id; Azure requires it in the account's region and tenant. */
          keyVaultId: string;
          /** Required. The RSA 2048 key in that vault. */
          keyName: string;
          /** Optional. Defaults to none: the account is given the key without a version. */
          keyVersion?: string;
      }
) & {
    /**
     * Optional. Defaults to 600. Seconds `pulumi up` waits after each role grant before the write that
     * needs it (the deployer's grant before the key, the identity's grant before the account). Key
     * Vault's RBAC guide gives up to 10 minutes (600 seconds) for a new assignment to apply, and both
     * grants are Key Vault data-plane roles. Only a create waits; 0 turns the waits off.
     */
    grantWaitSeconds: number;
};

const Fields = ["createKeyVault", "keyRotationDays", "keyExpiryDays", "vaultFirewall", "keyVaultId", "keyName", "keyVersion", "existingVault", "grantWaitSeconds"] as const;
const CreateFields = ["createKeyVault", "keyRotationDays", "keyExpiryDays", "vaultFirewall"];
/** Bounded: a grant Azure has not honoured after half an hour is not a propagation delay. */
const GrantWait = { min: 0, max: 1800, default: 600 } as const;
const ExistingFields = ["keyVaultId", "keyName", "keyVersion", "existingVault"];

/** What a user may assert about an existing vault; each must be true for the key to be usable and kept. */
const VaultFacts = {
    purgeProtection: "Azure refuses a customer-managed key from a vault without purge protection (az keyvault update --enable-purge-protection true)",
    softDelete: "Azure refuses a customer-managed key from a vault without soft delete",
    rbacAuthorization: "the stack grants the key to the account's identity through Azure RBAC, which a vault on access policies ignores (az keyvault update --enable-rbac-authorization true)",
} as const;

/** Key Vault's own limits: a version lives at least 28 days, and rotation comes at least 7 days after creation. */
const Days = { rotation: { min: 7, max: 3650, default: 365 }, expiry: { min: 28, max: 3650, default: 730 } } as const;
/** Time to run `pulumi refresh` and `pulumi up` after a rotation, before the version the account uses expires. */
const MinGraceDays = 30;

const KeyName = { pattern: /^[A-Za-z0-9-]{1,127}$/, allowed: "1-127 letters, digits or hyphens (a Key Vault key name)" };
const KeyVersion = { pattern: /^[0-9a-f]{32}$/i, allowed: "a key version: 32 hexadecimal characters, the last segment of the key's kid" };

type KeyChoice = EncryptionConfig extends infer T ? (T extends unknown ? Omit<T, "grantWaitSeconds"> : never) : never;

function readCreate(r: Reader, e: Record<string, Json>): KeyChoice | undefined {
    const create = r.boolean("encryption.createKeyVault", e.createKeyVault);
    if (create === false) {
        r.report("encryption.createKeyVault", "false is not a choice; remove the encryption section for Microsoft-managed keys, or give keyVaultId and keyName");
        return undefined;
    }
    const keyRotationDays = e.keyRotationDays === undefined ? Days.rotation.default : r.integer("encryption.keyRotationDays", e.keyRotationDays, Days.rotation.min, Days.rotation.max, "days");
    const keyExpiryDays = e.keyExpiryDays === undefined ? Days.expiry.default : r.integer("encryption.keyExpiryDays", e.keyExpiryDays, Days.expiry.min, Days.expiry.max, "days");
    const vaultFirewall = e.vaultFirewall === undefined ? "trustedServices" : r.oneOf("encryption.vaultFirewall", e.vaultFirewall, VaultFirewalls);
    if (create === undefined || keyRotationDays === undefined || keyExpiryDays === undefined || !vaultFirewall) return undefined;
    if (keyExpiryDays < keyRotationDays + MinGraceDays) {
        r.report(
            "encryption.keyExpiryDays",
            `${keyExpiryDays} leaves less than ${MinGraceDays} days between a rotation (keyRotationDays ${keyRotationDays}) and the expiry of the version the account still uses; make it at least ${keyRotationDays + MinGraceDays}`,
        );
        return undefined;
    }
    return { kind: "create", keyRotationDays, keyExpiryDays, vaultFirewall };
}

function readExisting(r: Reader, e: Record<string, Json>): KeyChoice | undefined {
    const keyVaultId = r.checked("encryption.keyVaultId", e.keyVaultId, (id) => checkResourceId(id, "keyVault"));
    const keyName = e.keyName === undefined ? (r.report("encryption.keyName", "is required with keyVaultId: the name of the key in that vault"), undefined) : r.string("encryption.keyName", e.keyName, KeyName);
    const keyVersion = e.keyVersion === undefined ? undefined : r.string("encryption.keyVersion", e.keyVersion, KeyVersion);
    if (e.existingVault !== undefined) {
        const facts = r.object("encryption.existingVault", e.existingVault);
        if (facts) {
            r.unknownKeys("encryption.existingVault", facts, Object.keys(VaultFacts));
            for (const [fact, why] of Object.entries(VaultFacts)) {
                if (facts[fact] === undefined) continue;
                if (r.boolean(`encryption.existingVault.${fact}`, facts[fact]) === false) r.report(`encryption.existingVault.${fact}`, `is false: ${why}`);
            }
        }
    }
    if (!keyVaultId || !keyName || (e.keyVersion !== undefined && !keyVersion)) return undefined;
    return { kind: "existing", keyVaultId, keyName, ...(keyVersion ? { keyVersion } : {}) };
}

export const encryptionSection: ConfigSection<{ encryption?: EncryptionConfig }> = {
    keys: { encryption: { fields: Fields } },
    read(r, get) {
        const value = get("encryption");
        if (value === undefined || isEmptyMapping(value)) return {};
        const e = r.object("encryption", value);
        if (!e) return undefined;
        r.unknownKeys("encryption", e, Fields);
        const grantWaitSeconds = e.grantWaitSeconds === undefined ? GrantWait.default : r.integer("encryption.grantWaitSeconds", e.grantWaitSeconds, GrantWait.min, GrantWait.max, "seconds to wait after a role grant");
        const creates = CreateFields.filter((f) => e[f] !== undefined);
        const existing = ExistingFields.filter((f) => e[f] !== undefined);
        if (creates.length > 0 && existing.length > 0) {
            r.report("encryption", `mixes a created vault (${creates.join(", ")}) with an existing one (${existing.join(", ")}); choose createKeyVault: true, or keyVaultId and keyName`);
            return undefined;
        }
        if (existing.length > 0) {
            if (e.keyVaultId === undefined) {
                r.report("encryption.keyVaultId", `is required with ${existing.join(", ")}: the resource id of the vault that holds the key`);
                return undefined;
            }
            const key = readExisting(r, e);
            return key && grantWaitSeconds !== undefined ? { encryption: { ...key, grantWaitSeconds } } : undefined;
        }
        if (e.createKeyVault === undefined) {
            r.report("encryption.createKeyVault", "is required: set createKeyVault: true for a vault the stack creates, or keyVaultId and keyName for an existing key");
            return undefined;
        }
        const key = readCreate(r, e);
        return key && grantWaitSeconds !== undefined ? { encryption: { ...key, grantWaitSeconds } } : undefined;
    },
};
