import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, StackConfig, parseStackConfig } from "../infra/config";

/** Pulumi's form: top-level scalars as strings, structured values as JSON text. */
function raw(values: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

const chat = { name: "chat", model: "gpt-4o-mini", version: "2099-07-18", sku: "GlobalStandard", capacity: 10 };
const base = { location: "eastus", namePrefix: "contoso", deployments: [chat] };

function parse(values: Record<string, unknown>, stack = "dev"): StackConfig {
    return parseStackConfig(raw(values), stack);
}

function problemsOf(values: Record<string, unknown>, stack = "dev"): string[] {
    try {
        parse(values, stack);
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected ConfigError, got ${err}`);
        return err.problems;
    }
    assert.fail("expected the configuration to be rejected");
}

describe("parseStackConfig defaults", () => {
    it("fills safe defaults for a minimal stack", () => {
        const config = parse(base);
        assert.equal(config.environment, "dev", "environment defaults to the stack name");
        assert.equal(config.disableLocalAuth, true, "keys are off unless a stack turns them on");
        assert.equal(config.restore, false);
        assert.equal(config.customSubdomain, undefined, "derived later from the subscription");
        assert.deepEqual(config.network, { publicNetworkAccess: "Enabled", defaultAction: "Allow", bypass: "None", ipRules: [], virtualNetworkRules: [] });
        assert.equal(config.privateEndpoint, undefined);
        assert.deepEqual(config.diagnostics, { enabled: true, workspace: { kind: "create", retentionInDays: 30 } });
        assert.deepEqual(config.protection, { protect: false, lock: false });
        assert.equal(config.grantDeployerAccess, false);
        assert.equal(config.deployments[0].versionUpgradeOption, "OnceCurrentVersionExpired");
    });

    it("protects and locks prod unless told otherwise", () => {
        assert.deepEqual(parse(base, "prod").protection, { protect: true, lock: true });
        assert.deepEqual(parse({ ...base, protection: { lock: false } }, "prod").protection, { protect: true, lock: false });
    });

    it("disables public access and denies by default once a private endpoint exists", () => {
        const config = parse({ ...base, privateEndpoint: { vnetAddressSpace: "10.1.0.0/24", subnetAddressPrefix: "10.1.0.0/28" } });
        assert.equal(config.network.publicNetworkAccess, "Disabled");
        assert.equal(config.network.defaultAction, "Deny");
        assert.deepEqual(config.privateEndpoint, {
            subnet: { kind: "create", vnetAddressSpace: "10.1.0.0/24", subnetAddressPrefix: "10.1.0.0/28" },
            dnsZone: { kind: "create" },
        });
    });

    it("denies by default when IP rules are given", () => {
        const config = parse({ ...base, network: { ipRules: ["203.0.113.7", "198.51.100.0/24"] } });
        assert.equal(config.network.defaultAction, "Deny");
        assert.deepEqual(config.network.ipRules, ["203.0.113.7", "198.51.100.0/24"]);
    });

    it("reads booleans as Pulumi passes them (strings at top level)", () => {
        assert.equal(parse({ ...base, disableLocalAuth: "false" }).disableLocalAuth, false);
        assert.equal(parse({ ...base, restore: "true" }).restore, true);
    });

    it("accepts existing subnet and DNS zone ids for hub-and-spoke", () => {
        const subnetId = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-pe";
        const dnsZoneId = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.openai.azure.com";
        const config = parse({ ...base, privateEndpoint: { subnetId, dnsZoneId } });
        assert.deepEqual(config.privateEndpoint, { subnet: { kind: "existing", subnetId }, dnsZone: { kind: "existing", zoneIds: [dnsZoneId] } });
    });

    it("normalises principal ids to lowercase so assignment names stay stable", () => {
        const config = parse({
            ...base,
            roleAssignments: [{ principalId: "7C9E6679-7425-40DE-944B-E07FC1F90AE7", principalType: "Group", role: "Cognitive Services OpenAI User" }],
        });
        assert.equal(config.roleAssignments[0].principalId, "7c9e6679-7425-40de-944b-e07fc1f90ae7");
    });
});

describe("parseStackConfig errors", () => {
    it("reports every problem at once, each naming the key", () => {
        const problems = problemsOf({
            location: "East US",
            namePrefix: "Contoso",
            deployments: [{ ...chat, capacity: 0 }],
            disableLocalAuth: "yes",
        });
        assert.deepEqual(problems, [
            'aoai:location: "East US" is not allowed; expected an Azure region name in lowercase without spaces, e.g. eastus or swedencentral',
            'aoai:namePrefix: "Contoso" is not allowed; expected 2-12 lowercase letters, digits or single hyphens, starting with a letter, e.g. contoso',
            'aoai:disableLocalAuth: "yes" is not allowed; use true or false',
            "aoai:deployments[0].capacity: 0 is not allowed; expected a whole number from 1 to 100000 (thousands of tokens per minute, or PTUs for provisioned SKUs)",
        ]);
    });

    it("names required keys that are missing", () => {
        assert.deepEqual(problemsOf({}), [
            "aoai:location: is required; e.g. eastus or swedencentral",
            "aoai:namePrefix: is required; e.g. contoso (used in every resource name)",
            "aoai:deployments: is required; list at least one model deployment (name, model, version, sku, capacity)",
        ]);
    });

    it("rejects unknown keys so typos do not silently fall back to defaults", () => {
        assert.deepEqual(problemsOf({ ...base, disableLocalAuht: "true" }), [
            "aoai:disableLocalAuht: unknown key; did you mean disableLocalAuth?",
        ]);
    });

    it("lists the allowed SKUs", () => {
        assert.deepEqual(problemsOf({ ...base, deployments: [{ ...chat, sku: "Premium" }] }), [
            'aoai:deployments[0].sku: "Premium" is not allowed; use one of Standard, GlobalStandard, DataZoneStandard, ProvisionedManaged, GlobalProvisionedManaged, DataZoneProvisionedManaged',
        ]);
    });

    it("refuses floating model versions", () => {
        assert.match(problemsOf({ ...base, deployments: [{ ...chat, version: "latest" }] })[0], /^aoai:deployments\[0\]\.version: "latest" is not allowed; expected a pinned model version/);
        assert.match(problemsOf({ ...base, deployments: [{ ...chat, version: undefined }] })[0], /^aoai:deployments\[0\]\.version: undefined is not allowed/);
    });

    it("refuses duplicate deployment names regardless of case", () => {
        assert.deepEqual(problemsOf({ ...base, deployments: [chat, { ...chat, name: "Chat" }] }), [
            'aoai:deployments[1].name: "Chat" is already used by deployments[0]; deployment names must be unique (case-insensitive)',
        ]);
    });

    it("rejects a custom subdomain Azure would reject", () => {
        assert.deepEqual(problemsOf({ ...base, customSubdomain: "-contoso" }), [
            'aoai:customSubdomain: "-contoso" must start and end with a lowercase letter or digit',
        ]);
        assert.deepEqual(problemsOf({ ...base, customSubdomain: "Contoso" }), [
            'aoai:customSubdomain: "Contoso" may contain only lowercase letters, digits and hyphens',
        ]);
        assert.deepEqual(problemsOf({ ...base, customSubdomain: "x".repeat(65) }), [
            `aoai:customSubdomain: "${"x".repeat(65)}" must be 2-64 characters long (it is 65)`,
        ]);
    });

    it("rejects a configuration nobody could reach", () => {
        assert.deepEqual(problemsOf({ ...base, network: { publicNetworkAccess: "Disabled" } }), [
            'aoai:network.publicNetworkAccess: "Disabled" without privateEndpoint leaves the account unreachable; configure privateEndpoint or enable public access with ipRules',
        ]);
        assert.deepEqual(problemsOf({ ...base, network: { defaultAction: "Deny" } }), [
            'aoai:network.defaultAction: "Deny" with no ipRules, no virtualNetworkRules and no privateEndpoint leaves the account unreachable; add a rule or a private endpoint',
        ]);
    });

    it("rejects rules that an Allow default would make meaningless", () => {
        assert.deepEqual(problemsOf({ ...base, network: { defaultAction: "Allow", ipRules: ["203.0.113.7"] } }), [
            'aoai:network.defaultAction: "Allow" makes ipRules and virtualNetworkRules meaningless (everything is allowed); use "Deny"',
        ]);
    });

    it("refuses broad and unknown roles", () => {
        const assignment = { principalId: "7c9e6679-7425-40de-944b-e07fc1f90ae7", principalType: "User" };
        assert.deepEqual(problemsOf({ ...base, roleAssignments: [{ ...assignment, role: "Owner" }] }), [
            'aoai:roleAssignments[0].role: "Owner" is refused: it is far broader than an OpenAI account needs; use one of Cognitive Services OpenAI User, Cognitive Services OpenAI Contributor, Cognitive Services User, Cognitive Services Contributor',
        ]);
        assert.deepEqual(problemsOf({ ...base, roleAssignments: [{ ...assignment, role: "Reader" }] }), [
            'aoai:roleAssignments[0].role: "Reader" is not allowed; use one of Cognitive Services OpenAI User, Cognitive Services OpenAI Contributor, Cognitive Services User, Cognitive Services Contributor',
        ]);
    });

    it("rejects the same role twice for one principal", () => {
        const assignment = { principalId: "7c9e6679-7425-40de-944b-e07fc1f90ae7", principalType: "User", role: "Cognitive Services OpenAI User" };
        assert.deepEqual(problemsOf({ ...base, roleAssignments: [assignment, { ...assignment, principalId: assignment.principalId.toUpperCase() }] }), [
            "aoai:roleAssignments[1]: assigns Cognitive Services OpenAI User to 7C9E6679-7425-40DE-944B-E07FC1F90AE7 again (see roleAssignments[0]); each principal needs a role once",
        ]);
    });

    it("rejects a subnet outside the virtual network", () => {
        assert.deepEqual(problemsOf({ ...base, privateEndpoint: { vnetAddressSpace: "10.1.0.0/24", subnetAddressPrefix: "10.2.0.0/28" } }), [
            'aoai:privateEndpoint.subnetAddressPrefix: "10.2.0.0/28" lies outside vnetAddressSpace 10.1.0.0/24; choose a block inside it',
        ]);
    });

    it("rejects a DNS zone other than privatelink.openai.azure.com", () => {
        const dnsZoneId = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.cognitiveservices.azure.com";
        assert.deepEqual(problemsOf({ ...base, privateEndpoint: { vnetAddressSpace: "10.1.0.0/24", subnetAddressPrefix: "10.1.0.0/28", dnsZoneId } }), [
            `aoai:privateEndpoint.dnsZoneId: "${dnsZoneId}" is not a privatelink.openai.azure.com zone; dnsZoneId takes the id of that zone (an account's Azure OpenAI host resolves only through it)`,
        ]);
    });

    it("explains an environment taken from an unusable stack name", () => {
        assert.deepEqual(problemsOf(base, "Prod-EU"), [
            'aoai:environment: "Prod-EU" is not allowed; expected 1-10 lowercase letters or digits starting with a letter, e.g. dev or prod; it defaults to the stack name',
        ]);
        assert.equal(parse({ ...base, environment: "prod" }, "Prod-EU").environment, "prod");
    });

    it("refuses to let tags override the environment tag", () => {
        assert.deepEqual(problemsOf({ ...base, tags: { Environment: "production" } }), [
            "aoai:tags.Environment: is set from aoai:environment; remove it from tags",
        ]);
    });
});

describe("the standard deployments limit", () => {
    const stack = (deployments: unknown[]) => ({ location: "eastus2", namePrefix: "demo", deployments: JSON.stringify(deployments) });
    const standard = Array.from({ length: 32 }, (_, i) => ({ name: `chat-${i}`, model: "gpt-4o-mini", version: "2099-07-18", sku: "Standard", capacity: 1 }));

    it("counts standard deployments only: 32 of them beside provisioned ones of every kind are accepted", () => {
        for (const sku of ["ProvisionedManaged", "GlobalProvisionedManaged", "DataZoneProvisionedManaged"]) {
            const config = parseStackConfig(stack([...standard, { name: "ptu", model: "gpt-4o-mini", version: "2099-07-18", sku, capacity: 15 }]), "qa");
            assert.equal(config.deployments.length, 33, sku);
        }
    });

    it("refuses a 33rd standard deployment, naming the key", () => {
        assert.throws(
            () => parseStackConfig(stack([...standard, { name: "one-more", model: "gpt-4o-mini", version: "2099-07-18", sku: "GlobalStandard", capacity: 1 }]), "qa"),
            (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.startsWith("aoai:deployments: has 33 standard deployments; Azure allows 32")),
        );
    });
});
