/**
 * Customer-managed keys: prod's account is created encrypted in one `pulumi up` (a user-assigned
 * identity holds its role on the key first), an existing key is used as given, the Key Vault stays
 * reachable for a locked-in account, and plan-diff calls losing the key what it is.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { diffPlans } from "../tools/diff/planDiff";
import type { Plan, PlanResource } from "../tools/plan/planModel";
import { MockCreated } from "../tools/plan/azureMocks";
import { byType, minimalConfig, planOf, primaryOf, writeStackFile, committedPlan } from "./helpers";

const Vault = "/subscriptions/6f1d1f8e-3a51-4b8e-9b43-1c2d3e4f5a6b/resourceGroups/rg-sec/providers/Microsoft.KeyVault/vaults/kv-central";
const Identity = "/subscriptions/6f1d1f8e-3a51-4b8e-9b43-1c2d3e4f5a6b/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app";

const accountOf = (plan: Plan) => primaryOf(plan, "azure-native:cognitiveservices:Account");
const props = (r: PlanResource) => r.inputs.properties as Record<string, any>;
const identityOf = (r: PlanResource) => r.inputs.identity as { type: string; userAssignedIdentities?: string[] };
const roleOn = (plan: Plan, scopeEnd: string) => byType(plan, "azure-native:authorization:RoleAssignment").find((r) => String(r.inputs.scope).endsWith(scopeEnd));

describe("customer-managed key in a vault the stack creates (prod)", () => {
    const plan = committedPlan("prod");
    const account = accountOf(plan);

    it("encrypts the account with the created key, read by the user-assigned identity's client id", async () => {
        const key = primaryOf(plan, "azure-native:keyvault:Key");
        const e = props(account).encryption;
        assert.equal(e.keySource, "Microsoft.KeyVault");
        assert.equal(e.keyVaultProperties.keyName, key.inputs.keyName);
        assert.equal(e.keyVaultProperties.keyVaultUri, `https://${primaryOf(plan, "azure-native:keyvault:Vault").inputs.vaultName}.vault.azure.net/`);
        assert.equal(e.keyVaultProperties.identityClientId, MockCreated.identityClientId);
        assert.equal(e.keyVaultProperties.keyVersion, MockCreated.keyVersion, "pinned to the version Key Vault made, as Microsoft's doc asks");
    });

    it("carries the identity beside its system-assigned one, and is created only after the identity may read the key", async () => {
        const identity = primaryOf(plan, "azure-native:managedidentity:UserAssignedIdentity");
        assert.equal(identityOf(account).type, "SystemAssigned, UserAssigned");
        assert.deepEqual(identityOf(account).userAssignedIdentities, [`/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-prod/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${identity.inputs.resourceName}`]);
        const reader = roleOn(plan, "/keys/cmk-oai-contoso-prod")!;
        assert.equal(reader.inputs.principalId, MockCreated.identityPrincipalId);
        assert.match(String(reader.inputs.roleDefinitionId), /e147488a-f6f5-4113-8e2d-b22465e65bf6$/, "Key Vault Crypto Service Encryption User");
        // The account waits for the grant, and then a bounded time for Azure to honour it.
        assert.deepEqual(account.dependsOn, [`${reader.name}-wait`]);
    });

    it("keeps the vault safe to hold the key: RBAC, soft delete, purge protection, no network, protected in prod", async () => {
        const vault = primaryOf(plan, "azure-native:keyvault:Vault");
        const p = props(vault);
        assert.deepEqual([p.enableRbacAuthorization, p.enableSoftDelete, p.enablePurgeProtection], [true, true, true]);
        assert.deepEqual(p.networkAcls, { bypass: "AzureServices", defaultAction: "Deny", ipRules: [], virtualNetworkRules: [] });
        assert.equal(vault.protect, true);
        assert.equal(primaryOf(plan, "azure-native:keyvault:Key").protect, true);
        assert.ok(String(vault.inputs.vaultName).length <= 24, "Key Vault names are at most 24 characters");
    });

    it("makes a rotating RSA 2048 key, after the deployer may write keys through ARM", async () => {
        const key = primaryOf(plan, "azure-native:keyvault:Key");
        assert.deepEqual([props(key).kty, props(key).keySize], ["RSA", 2048]);
        assert.equal(props(key).rotationPolicy.lifetimeActions[0].trigger.timeAfterCreate, "P365D");
        assert.equal(props(key).rotationPolicy.attributes.expiryTime, "P730D");
        const officer = roleOn(plan, `/vaults/${primaryOf(plan, "azure-native:keyvault:Vault").inputs.vaultName}`)!;
        assert.match(String(officer.inputs.roleDefinitionId), /14b46e9e-c2b7-41b4-b07b-48a6ebf60603$/, "Key Vault Crypto Officer");
        assert.deepEqual(key.dependsOn, [`${officer.name}-wait`]);
    });

    it("lets a locked-in account still reach its vault", async () => {
        assert.deepEqual(props(account).allowedFqdnList, [`${primaryOf(plan, "azure-native:keyvault:Vault").inputs.vaultName}.vault.azure.net`]);
    });

    it("derives the vault's name from the subscription, like the subdomain", async () => {
        const other = await planOf(["prod", "--subscription-id", "6f1d1f8e-3a51-4b8e-9b43-1c2d3e4f5a6b"]);
        assert.notEqual(primaryOf(other, "azure-native:keyvault:Vault").inputs.vaultName, primaryOf(plan, "azure-native:keyvault:Vault").inputs.vaultName);
    });
});

describe("customer-managed key that already exists", () => {
    let plan: Plan;
    before(async () => {
        plan = await planOf(["--config-file", writeStackFile(minimalConfig({ "aoai:encryption": { keyVaultId: Vault, keyName: "cmk-openai", existingVault: { purgeProtection: true } } }))]);
    });

    it("creates no vault or key, and grants the identity the key it names", async () => {
        assert.equal(byType(plan, "azure-native:keyvault:Vault").length + byType(plan, "azure-native:keyvault:Key").length, 0);
        assert.ok(roleOn(plan, "/vaults/kv-central/keys/cmk-openai"));
        assert.equal(byType(plan, "azure-native:authorization:RoleAssignment").length, 1, "no Crypto Officer: the stack writes no key");
    });

    it("hands the account the vault URI and key name, without a version unless one is given", async () => {
        const kv = props(accountOf(plan)).encryption.keyVaultProperties;
        assert.deepEqual([kv.keyVaultUri, kv.keyName, "keyVersion" in kv], ["https://kv-central.vault.azure.net/", "cmk-openai", false]);
        const pinned = await planOf(["--config-file", writeStackFile(minimalConfig({ "aoai:encryption": { keyVaultId: Vault, keyName: "cmk-openai", keyVersion: "a".repeat(32) } }))]);
        assert.equal(props(accountOf(pinned)).encryption.keyVaultProperties.keyVersion, "a".repeat(32));
    });
});

describe("user-assigned identities", () => {
    it("sit beside the system-assigned identity, with the key's identity when there is one", async () => {
        const plain = await planOf(["--config-file", writeStackFile(minimalConfig({ "aoai:userAssignedIdentityIds": [Identity] }))]);
        assert.deepEqual(identityOf(accountOf(plain)), { type: "SystemAssigned, UserAssigned", userAssignedIdentities: [Identity] });
        const both = await planOf(["--config-file", writeStackFile(minimalConfig({ "aoai:userAssignedIdentityIds": [Identity], "aoai:encryption": { keyVaultId: Vault, keyName: "cmk-openai" } }))]);
        assert.equal(identityOf(accountOf(both)).userAssignedIdentities!.length, 2);
    });

    it("leave a stack without them on the system-assigned identity alone", async () => {
        assert.deepEqual(identityOf(accountOf(committedPlan("dev"))), { type: "SystemAssigned" });
    });
});

describe("plan diff on the key", () => {
    const prod = committedPlan("prod");

    it("marks removing the customer-managed key, the key, the vault or the identity as dangerous", async () => {
        // The primary region's key material; the secondary keeps its own.
        const keyMaterial = (r: PlanResource) => r.parent === "encryption" && (r.type.startsWith("azure-native:keyvault") || r.type === "azure-native:managedidentity:UserAssignedIdentity");
        const without = { ...structuredClone(prod), resources: structuredClone(prod.resources).filter((r) => !keyMaterial(r)) };
        const account = accountOf(without);
        const { encryption: _dropped, ...rest } = props(account);
        account.inputs = { ...account.inputs, properties: rest };
        const changes = diffPlans(prod, without).filter((c) => c.kind === "encryption");
        assert.deepEqual(changes.map((c) => c.severity), ["danger", "danger", "danger", "danger"]);
        assert.match(changes.find((c) => c.path === "properties.encryption")!.message, /customer-managed key removed/);
    });

    it("marks a new key name as a replacement that needs the account moved first", async () => {
        const renamed = structuredClone(prod);
        primaryOf(renamed, "azure-native:keyvault:Key").inputs.keyName = "cmk-2";
        const change = diffPlans(prod, renamed).find((c) => c.type === "azure-native:keyvault:Key")!;
        assert.deepEqual([change.severity, change.kind], ["danger", "replace"]);
        assert.match(change.message, /data becomes unreadable/);
    });
});
