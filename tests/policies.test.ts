/**
 * Each policy on hand-built arguments: a happy-path resource passes, one changed field fails with the
 * exact message. The policies module is imported directly; index.ts (which starts the policy
 * server) never is.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as path from "path";
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { AssignableRoles, BroadRoles, isBroadRole } from "../infra/access/roles";
import * as policies from "../policy/policies";
import { RepoRoot } from "../tools/repo";

const ACCOUNT = "azure-native:cognitiveservices:Account";
const accountId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/oai-x-prod";

function happyAccount(): Record<string, any> {
    return {
        accountName: "oai-x-prod",
        kind: "OpenAI",
        identity: { type: "SystemAssigned" },
        properties: { disableLocalAuth: true, publicNetworkAccess: "Disabled", networkAcls: { defaultAction: "Deny" } },
        tags: { environment: "prod", owner: "platform", costCenter: "1" },
    };
}

function resource(type: string, props: Record<string, any>, name = type.split(":").pop()!): PolicyResource {
    return {
        type,
        props,
        urn: `urn:pulumi:prod::aoai::${type}::${name}`,
        name,
        opts: {} as PolicyResource["opts"],
        isType: (cls: any) => cls.__pulumiType === type,
        asType: (() => undefined) as PolicyResource["asType"],
    } as PolicyResource;
}

async function runResource(policy: ResourceValidationPolicy, type: string, props: Record<string, any>, config: Record<string, unknown> = {}): Promise<string[]> {
    const messages: string[] = [];
    const defaults = Object.fromEntries(Object.entries(policy.configSchema?.properties ?? {}).map(([k, s]: [string, any]) => [k, s.default]));
    const args = {
        ...resource(type, props),
        stackTags: new Map(),
        getConfig: () => ({ ...defaults, ...config }),
        notApplicable: () => {
            throw new Error("n/a");
        },
    };
    try {
        await (policy.validateResource as Function)(args, (m: string) => messages.push(m));
    } catch (err) {
        if ((err as Error).message !== "n/a") throw err;
        return ["n/a"];
    }
    return messages;
}

async function runStack(policy: StackValidationPolicy, resources: PolicyResource[]): Promise<string[]> {
    const messages: string[] = [];
    await policy.validateStack({ resources, stackTags: new Map(), getConfig: () => ({}), notApplicable: () => { throw new Error("n/a"); } } as never, (m: string) => messages.push(m));
    return messages;
}

const endpoint = (target = accountId, groupIds = ["account"]) =>
    resource("azure-native:network:PrivateEndpoint", { privateLinkServiceConnections: [{ privateLinkServiceId: target, groupIds }] });
const setting = (logs = [{ categoryGroup: "allLogs", enabled: true }], metrics = [{ category: "AllMetrics", enabled: true }]) =>
    resource("azure-native:monitor:DiagnosticSetting", { resourceUri: accountId, logs, metrics });

describe("account policies", () => {
    it("openai-local-auth-disabled", async () => {
        assert.deepEqual(await runResource(policies.localAuthDisabled, ACCOUNT, happyAccount()), []);
        const keys = happyAccount();
        keys.properties.disableLocalAuth = false;
        assert.deepEqual(await runResource(policies.localAuthDisabled, ACCOUNT, keys), ["Account must set properties.disableLocalAuth: true (disableLocalAuth) so API keys stop working."]);
        assert.deepEqual(await runResource(policies.localAuthDisabled, "azure-native:network:Subnet", {}), ["n/a"], "other types are not applicable");
    });

    it("openai-network-acl-deny", async () => {
        assert.deepEqual(await runResource(policies.networkAclDeny, ACCOUNT, happyAccount()), []);
        const open = happyAccount();
        open.properties.networkAcls.defaultAction = "Allow";
        assert.deepEqual(await runResource(policies.networkAclDeny, ACCOUNT, open), ['Account must set properties.networkAcls.defaultAction: "Deny" (network.defaultAction).']);
        const none = happyAccount();
        delete none.properties.networkAcls;
        assert.equal((await runResource(policies.networkAclDeny, ACCOUNT, none)).length, 1, "no ACL at all is not Deny");
        const everyone = happyAccount();
        everyone.properties.networkAcls.ipRules = [{ value: "203.0.113.10" }, { value: "0.0.0.0/0" }, { value: "10.0.0.0/8" }];
        const messages = await runResource(policies.networkAclDeny, ACCOUNT, everyone);
        assert.equal(messages.length, 2, "Deny with 0.0.0.0/0 is open to everyone, and a private range never matches");
        assert.match(messages[0], /^IP rule 0\.0\.0\.0\/0 allows 4294967296 addresses: that is public access in all but name/);
        assert.match(messages[1], /^IP rule 10\.0\.0\.0\/8 is a private \(RFC 1918\) range/);
    });

    it("openai-managed-identity", async () => {
        assert.deepEqual(await runResource(policies.managedIdentity, ACCOUNT, happyAccount()), []);
        const none = happyAccount();
        delete none.identity;
        assert.deepEqual(await runResource(policies.managedIdentity, ACCOUNT, none), ['Account identity type is "None"; use SystemAssigned or UserAssigned.']);
        const user = happyAccount();
        user.identity = { type: "UserAssigned" };
        assert.deepEqual(await runResource(policies.managedIdentity, ACCOUNT, user), []);
    });
});

describe("stack policies", () => {
    it("openai-public-network-disabled applies where the account has a private endpoint", async () => {
        const open = happyAccount();
        open.properties.publicNetworkAccess = "Enabled";
        assert.deepEqual(await runStack(policies.publicNetworkDisabled, [resource(ACCOUNT, happyAccount()), endpoint()]), []);
        assert.deepEqual(await runStack(policies.publicNetworkDisabled, [resource(ACCOUNT, open), endpoint()]), [
            'Account oai-x-prod has a private endpoint but publicNetworkAccess is not "Disabled"; set network.publicNetworkAccess: Disabled.',
        ]);
        assert.deepEqual(await runStack(policies.publicNetworkDisabled, [resource(ACCOUNT, open)]), [], "a public-only stack is not private");
    });

    it("openai-private-endpoint needs an endpoint for this account with group id 'account'", async () => {
        const missing = ['Account oai-x-prod has no private endpoint with group id "account"; configure privateEndpoint.'];
        assert.deepEqual(await runStack(policies.privateEndpointRequired, [resource(ACCOUNT, happyAccount()), endpoint()]), []);
        assert.deepEqual(await runStack(policies.privateEndpointRequired, [resource(ACCOUNT, happyAccount())]), missing);
        assert.deepEqual(await runStack(policies.privateEndpointRequired, [resource(ACCOUNT, happyAccount()), endpoint(accountId + "-other")]), missing);
        assert.deepEqual(await runStack(policies.privateEndpointRequired, [resource(ACCOUNT, happyAccount()), endpoint(accountId, ["portal"])]), missing);
        assert.deepEqual(await runStack(policies.privateEndpointRequired, [resource(ACCOUNT, happyAccount()), endpoint(accountId.toUpperCase())]), [], "ARM ids compare case-insensitively");
    });

    it("openai-diagnostics needs allLogs and AllMetrics on the account", async () => {
        const missing = ["Account oai-x-prod has no diagnostic setting sending allLogs and AllMetrics; keep diagnostics.enabled: true."];
        assert.deepEqual(await runStack(policies.diagnosticsEnabled, [resource(ACCOUNT, happyAccount()), setting()]), []);
        assert.deepEqual(await runStack(policies.diagnosticsEnabled, [resource(ACCOUNT, happyAccount())]), missing);
        assert.deepEqual(await runStack(policies.diagnosticsEnabled, [resource(ACCOUNT, happyAccount()), setting([{ categoryGroup: "audit", enabled: true }])]), missing);
        assert.deepEqual(await runStack(policies.diagnosticsEnabled, [resource(ACCOUNT, happyAccount()), setting(undefined, [])]), missing);
    });
});

describe("deployment, role and tag policies", () => {
    const deployment = (versionUpgradeOption: string, version?: string) => ({
        deploymentName: "chat",
        properties: { model: { format: "OpenAI", name: "gpt-4o", ...(version ? { version } : {}) }, versionUpgradeOption },
    });
    const DEPLOYMENT = "azure-native:cognitiveservices:Deployment";
    const ROLE = "azure-native:authorization:RoleAssignment";
    const definition = (guid: string) => ({ roleDefinitionId: `/subscriptions/0/providers/Microsoft.Authorization/roleDefinitions/${guid}` });

    it("openai-deployment-pinned-version", async () => {
        assert.deepEqual(await runResource(policies.pinnedModelVersion, DEPLOYMENT, deployment("OnceNewDefaultVersionAvailable", "2099-11-20")), [], "advisory default: only the pin");
        assert.deepEqual(await runResource(policies.pinnedModelVersion, DEPLOYMENT, deployment("NoAutoUpgrade")), ["Deployment chat must pin properties.model.version."]);
        assert.deepEqual(await runResource(policies.pinnedModelVersion, DEPLOYMENT, deployment("OnceCurrentVersionExpired", "2099-11-20"), { requireNoAutoUpgrade: true }), [
            'Deployment chat must use versionUpgradeOption "NoAutoUpgrade" in this stack.',
        ]);
    });

    it("no-broad-role-assignments", async () => {
        assert.deepEqual(await runResource(policies.noBroadRoles, ROLE, definition("5e0bd9bd-7b93-4f28-af87-19fc36ad61bd")), []);
        assert.deepEqual(await runResource(policies.noBroadRoles, ROLE, definition("8e3af657-a8ff-443c-a75c-2fe8c4bcb635")), [
            "Role assignment grants Owner; use Cognitive Services OpenAI User or another Cognitive Services role.",
        ]);
        assert.deepEqual(await runResource(policies.noBroadRoles, ROLE, definition("B24988AC-6180-42A0-AB88-20F7382DD24C")), [
            "Role assignment grants Contributor; use Cognitive Services OpenAI User or another Cognitive Services role.",
        ]);
        assert.equal((await runResource(policies.noBroadRoles, ROLE, definition("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"))).length, 1);
    });

    it("no-broad-role-assignments refuses every role the program refuses, from the same list", async () => {
        const names = Object.keys(BroadRoles);
        assert.ok(names.includes("Role Based Access Control Administrator"), "it can grant roles to others");
        for (const name of names) {
            assert.ok(isBroadRole(name) && isBroadRole(name.toUpperCase()), `${name}: the program refuses it by name`);
            assert.deepEqual(await runResource(policies.noBroadRoles, ROLE, definition(BroadRoles[name])), [
                `Role assignment grants ${name}; use Cognitive Services OpenAI User or another Cognitive Services role.`,
            ]);
        }
        for (const guid of Object.values(AssignableRoles)) {
            assert.deepEqual(await runResource(policies.noBroadRoles, ROLE, definition(guid)), [], "assignable roles pass");
        }
    });

    it("required-tags checks taggable resources against the configured list", async () => {
        const tags = { tags: ["environment", "owner"] };
        assert.deepEqual(await runResource(policies.requiredTags, ACCOUNT, happyAccount(), tags), []);
        assert.deepEqual(await runResource(policies.requiredTags, ACCOUNT, { tags: { environment: "prod", owner: "" } }, tags), ["Missing required tags: owner (set them in aoai:tags)."]);
        assert.deepEqual(await runResource(policies.requiredTags, ACCOUNT, { tags: {} }), ["Missing required tags: environment (set them in aoai:tags)."], "default list");
        assert.deepEqual(await runResource(policies.requiredTags, "azure-native:authorization:RoleAssignment", {}, tags), [], "untaggable resources are skipped");
    });
});

describe("policy pack", () => {
    it("names every policy uniquely, kebab-case, with a description naming what it mirrors", () => {
        const names = policies.allPolicies.map((p) => p.name);
        assert.equal(new Set(names).size, names.length);
        for (const p of policies.allPolicies) {
            assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.match(p.description, /^(Mirrors Azure Policy '.+'|Pitfall: )/, p.name);
            assert.equal(p.enforcementLevel, "advisory", `${p.name}: stacks choose enforcement through policy/config`);
        }
    });

    it("can be imported without leaving a server running", () => {
        // The process must end on its own: a PolicyPack constructed on import would keep a gRPC server alive.
        const result = spawnSync(process.execPath, ["--import", "tsx", "-e", `require(${JSON.stringify(path.join(RepoRoot, "policy", "policies.ts"))}); console.log("loaded")`], {
            cwd: RepoRoot,
            encoding: "utf8",
            timeout: 30_000,
        });
        assert.equal(result.signal, null, "the import did not exit by itself");
        assert.equal(result.status, 0, result.stderr);
        assert.equal(result.stdout.trim(), "loaded");
    });
});
