import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as time from "@pulumiverse/time";
import type { ResolvedPrincipalType } from "../access/deployer";
import { roleAssignmentName } from "../access/access";
import type { EncryptionConfig } from "./encryption.config";
import { keyVaultUri } from "../core/naming";
import { ServiceRole, roleDefinitionId } from "../access/roles";

export interface AccountEncryptionArgs {
    /** Required. Resource group of the identity and of a created vault. */
    resourceGroupName: pulumi.Input<string>;
    /** Required. The account's region; Azure requires the vault there too. */
    location: string;
    /** Required. A created vault, or an existing key. */
    encryption: EncryptionConfig;
    /** Required. Name of the user-assigned identity the account reads its key with. */
    identityName: string;
    /** Required. Name of a created vault (derived per subscription, naming.ts); unused for an existing key. */
    vaultName: pulumi.Input<string>;
    /** Required. Name of a created key; unused for an existing key. */
    keyName: string;
    /** Required. Subscription the role definitions are read from. */
    subscriptionId: pulumi.Input<string>;
    /** Required. Tenant of a created vault. */
    tenantId: pulumi.Input<string>;
    /** Required. The identity running `pulumi up`, which creates the key through ARM. */
    deployer: { principalId: pulumi.Input<string>; principalType: pulumi.Input<ResolvedPrincipalType> };
    /** Required. Pulumi protect on a created vault and key: without them the account's data is unreadable. */
    protect: boolean;
    /** Required. Tags for the identity and a created vault. */
    tags: Record<string, string>;
}

/**
 * The customer-managed key and the user-assigned identity that reads it. The identity holds its role
 * on the key before the account exists, so the account is created encrypted in one `pulumi up`; a
 * system-assigned identity would need the account first and a second pass to encrypt it.
 */
export class AccountEncryption extends pulumi.ComponentResource {
    /** The identity's resource id, for the account's `identity.userAssignedIdentities`. */
    public readonly identityId: pulumi.Output<string>;
    /** The identity's client id, which the account names in `keyVaultProperties.identityClientId`. */
    public readonly identityClientId: pulumi.Output<string>;
    public readonly keyVaultUri: pulumi.Output<string>;
    /** The vault's resource id when the stack creates it (its audit logs go to the stack's workspace); none for an existing vault. */
    public readonly createdVaultId?: pulumi.Output<string>;
    public readonly keyName: string;
    /** The version the account uses; none for an existing key given without one. */
    public readonly keyVersion?: pulumi.Output<string>;
    /** What the account must wait for: the identity's role on the key, and the wait for Azure to honour it. */
    public readonly ready: pulumi.Resource[];

    constructor(name: string, args: AccountEncryptionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aoai:platform:AccountEncryption", name, {}, opts);
        const identity = new managedidentity.UserAssignedIdentity(
            `${name}-identity`,
            { resourceGroupName: args.resourceGroupName, resourceName: args.identityName, location: args.location, tags: args.tags },
            { parent: this },
        );
        this.identityId = identity.id;
        this.identityClientId = identity.clientId;

        const grant = (suffix: string, scope: pulumi.Input<string>, principalId: pulumi.Input<string>, principalType: pulumi.Input<string>, role: ServiceRole, dependsOn: pulumi.Resource[] = []) =>
            new authorization.RoleAssignment(
                `${name}-${suffix}`,
                {
                    roleAssignmentName: pulumi.all([scope, principalId]).apply(([s, p]) => roleAssignmentName(s, p, role)),
                    scope,
                    principalId,
                    principalType,
                    roleDefinitionId: pulumi.output(args.subscriptionId).apply((sub) => roleDefinitionId(sub, role)),
                    description: `${role} for the Azure OpenAI account's customer-managed key (managed by Pulumi)`,
                },
                { parent: this, dependsOn },
            );

        const e = args.encryption;
        // A new role assignment takes minutes to be honoured (docs/deploy-hazards.md, H5): the write
        // that needs it waits a bounded time after it. A replaced grant is waited for again.
        const settled = (suffix: string, assignment: authorization.RoleAssignment): pulumi.Resource[] =>
            e.grantWaitSeconds === 0
                ? [assignment]
                : [new time.Sleep(`${name}-${suffix}-wait`, { createDuration: `${e.grantWaitSeconds}s`, triggers: { roleAssignmentId: assignment.id } }, { parent: this, dependsOn: [assignment] })];
        let keyId: pulumi.Input<string>;
        if (e.kind === "existing") {
            const vaultName = e.keyVaultId.split("/").pop()!;
            this.keyVaultUri = pulumi.output(keyVaultUri(vaultName));
            this.keyName = e.keyName;
            this.keyVersion = e.keyVersion ? pulumi.output(e.keyVersion) : undefined;
            keyId = `${e.keyVaultId}/keys/${e.keyName}`;
        } else {
            const vault = new keyvault.Vault(
                `${name}-vault`,
                {
                    resourceGroupName: args.resourceGroupName,
                    vaultName: args.vaultName,
                    location: args.location,
                    properties: {
                        tenantId: args.tenantId,
                        sku: { family: "A", name: keyvault.SkuName.Standard },
                        enableRbacAuthorization: true,
                        enableSoftDelete: true,
                        softDeleteRetentionInDays: 90,
                        // Azure refuses a customer-managed key from a vault without it; it cannot be turned off again.
                        enablePurgeProtection: true,
                        // Nothing calls this vault's data plane from a network: the account reaches its key as a
                        // trusted Azure service, and `pulumi up` writes the key through ARM, which Key Vault
                        // relays as a trusted service too. So every network is denied, unless the stack
                        // chose `vaultFirewall: open` (encryption.config.ts says why it might).
                        publicNetworkAccess: "Enabled",
                        networkAcls: {
                            defaultAction: e.vaultFirewall === "open" ? keyvault.NetworkRuleAction.Allow : keyvault.NetworkRuleAction.Deny,
                            bypass: keyvault.NetworkRuleBypassOptions.AzureServices,
                            ipRules: [],
                            virtualNetworkRules: [],
                        },
                    },
                    tags: args.tags,
                },
                { parent: this, protect: args.protect },
            );
            this.createdVaultId = vault.id;
            // Key Vault checks the caller's data-plane role on an ARM key write (ForbiddenByRbac otherwise).
            const officer = grant("deployer-key-officer", vault.id, args.deployer.principalId, args.deployer.principalType, "Key Vault Crypto Officer");
            const key = new keyvault.Key(
                `${name}-key`,
                {
                    resourceGroupName: args.resourceGroupName,
                    vaultName: vault.name,
                    keyName: args.keyName,
                    properties: {
                        // Azure OpenAI takes RSA keys of 2048 bits only; the account only wraps and unwraps with it.
                        kty: keyvault.JsonWebKeyType.RSA,
                        keySize: 2048,
                        keyOps: [keyvault.JsonWebKeyOperation.WrapKey, keyvault.JsonWebKeyOperation.UnwrapKey],
                        rotationPolicy: {
                            attributes: { expiryTime: `P${e.keyExpiryDays}D` },
                            lifetimeActions: [
                                { trigger: { timeAfterCreate: `P${e.keyRotationDays}D` }, action: { type: keyvault.KeyRotationPolicyActionType.Rotate } },
                                { trigger: { timeBeforeExpiry: "P30D" }, action: { type: keyvault.KeyRotationPolicyActionType.Notify } },
                            ],
                        },
                    },
                },
                { parent: this, protect: args.protect, dependsOn: settled("deployer-key-officer", officer) },
            );
            this.keyVaultUri = vault.name.apply(keyVaultUri);
            this.keyName = args.keyName;
            // Pinned, as Microsoft's Azure OpenAI doc asks: after a rotation, `pulumi refresh` then `pulumi up` moves the account on.
            this.keyVersion = key.keyUriWithVersion.apply((uri) => uri.split("/").pop()!);
            keyId = key.id;
        }
        const reader = grant("identity-key-user", keyId, identity.principalId, "ServicePrincipal", "Key Vault Crypto Service Encryption User");
        this.ready = settled("identity-key-user", reader);
        this.registerOutputs({ identityId: this.identityId });
    }
}
