/**
 * Foundry resources (kind AIServices): what the account, its projects and its private DNS look like,
 * that changing the kind is an in-place upgrade the review shows as such (and a roll back it marks
 * dangerous), that the program never rolls back Microsoft's upgrade of a live account, and the pack's
 * rules for projects.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as path from "path";
import { kindProblem } from "../infra/foundry/kind";
import { ConfigError, parseStackConfig } from "../infra/config";
import { ProjectRoles } from "../infra/access/roles";
import { renderConfig } from "../tools/plan/offlinePlan";
import { evaluatePolicies, readPolicyConfig } from "../tools/review/offlinePolicy";
import { diffPlans } from "../tools/diff/planDiff";
import { formatPlanDiagram } from "../tools/plan/planDiagram";
import { formatPlanText } from "../tools/plan/planText";
import type { Plan } from "../tools/plan/planModel";
import { RepoRoot } from "../tools/repo";
import { byType, committedPlan, committedText, one } from "./helpers";

const group = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const zones = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones";
const today = new Date("2026-12-05T00:00:00Z");

/** A private stack, of the kind given, with whatever else is set; values as Pulumi hands them over. */
function config(kind: string | undefined, extra: Record<string, unknown> = {}) {
    const raw: Record<string, string> = {
        location: "eastus2",
        namePrefix: "demo",
        deployments: JSON.stringify([{ name: "chat", model: "gpt-4o-mini", version: "2099-07-18", sku: "DataZoneStandard", capacity: 5 }]),
        network: JSON.stringify({ publicNetworkAccess: "Disabled" }),
        privateEndpoint: JSON.stringify({ vnetAddressSpace: "10.20.0.0/24", subnetAddressPrefix: "10.20.0.0/27" }),
        ...(kind ? { kind } : {}),
        ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
    };
    return parseStackConfig(raw, "test", [], today);
}

const renders = new Map<string, Promise<Plan>>();
/** The plan of `config(kind, extra)`, rendered once for every test that asks for the same stack; tests only read it. */
function planFor(kind: string | undefined, extra: Record<string, unknown> = {}): Promise<Plan> {
    const key = JSON.stringify([kind, extra]);
    if (!renders.has(key)) renders.set(key, renderConfig(config(kind, extra)));
    return renders.get(key)!;
}

const project = { name: "support-assistant", displayName: "Support assistant", roles: [{ principalId: group, principalType: "Group", role: "Foundry User" }] };

const problems = (f: () => unknown): string[] => {
    try {
        f();
    } catch (err) {
        if (err instanceof ConfigError) return err.problems;
        throw err;
    }
    return [];
};

describe("a Foundry resource (kind AIServices)", () => {
    it("is kind OpenAI unless the stack says AIServices", () => {
        assert.equal(config(undefined).kind, "OpenAI");
        assert.equal(config("AIServices").kind, "AIServices");
    });

    it("turns project management on, and writes each project after the deployments in the account's one-at-a-time chain", async () => {
        const plan = await planFor("AIServices", { projects: [project, { name: "search-team" }] });
        const account = one(plan, "azure-native:cognitiveservices:Account");
        assert.equal(account.inputs.kind, "AIServices");
        assert.equal((account.inputs.properties as Record<string, unknown>).allowProjectManagement, true);
        const [first, second] = byType(plan, "azure-native:cognitiveservices:Project");
        assert.deepEqual(first.inputs.identity, { type: "SystemAssigned" });
        assert.deepEqual(first.inputs.properties, { displayName: "Support assistant" });
        assert.deepEqual(second.inputs.properties, { displayName: "search-team" }, "the display name defaults to the name");
        assert.deepEqual([first.dependsOn, second.dependsOn], [["openai-deployment-chat"], ["openai-project-support-assistant"]]);
        // The private endpoint waits for every write under the account: a project write leaves it "Accepted" too.
        assert.deepEqual(one(plan, "azure-native:network:PrivateEndpoint").dependsOn, ["openai-deployment-chat", "openai-project-support-assistant", "openai-project-search-team"]);
    });

    it("grants each team's roles on its project only, under deterministic names", async () => {
        const plan = await planFor("AIServices", { projects: [project] });
        const grant = byType(plan, "azure-native:authorization:RoleAssignment").filter((r) => String(r.inputs.scope).includes("/projects/"));
        assert.equal(grant.length, 1);
        assert.match(String(grant[0].inputs.scope), /\/accounts\/oai-demo-test\/projects\/support-assistant$/);
        assert.match(String(grant[0].inputs.roleDefinitionId), new RegExp(`/roleDefinitions/${ProjectRoles["Foundry User"]}$`));
        assert.deepEqual([grant[0].inputs.principalId, grant[0].inputs.principalType], [group, "Group"]);
        const again = await planFor("AIServices", { projects: [{ ...project, roles: [{ ...project.roles[0], role: "Azure AI User" }] }] });
        const sameGrant = byType(again, "azure-native:authorization:RoleAssignment").find((r) => String(r.inputs.scope).includes("/projects/"))!;
        assert.equal(sameGrant.inputs.roleAssignmentName, grant[0].inputs.roleAssignmentName, "the role's former name is the same role and the same assignment");
    });

    it("gives each project's own identity Foundry User on its account, so its agents and evaluations can call the models", async () => {
        const second = { ...project, name: "claims-triage", roles: [] };
        const plan = await planFor("AIServices", { projects: [project, second] });
        const own = byType(plan, "azure-native:authorization:RoleAssignment").filter((r) => r.name.endsWith("-identity"));
        assert.deepEqual(
            own.map((r) => [r.name, String(r.inputs.scope).split("/").slice(-2).join("/"), String(r.inputs.roleDefinitionId).split("/").pop(), r.inputs.principalType]),
            [
                ["access-project-support-assistant-identity", "accounts/oai-demo-test", ProjectRoles["Foundry User"], "ServicePrincipal"],
                ["access-project-claims-triage-identity", "accounts/oai-demo-test", ProjectRoles["Foundry User"], "ServicePrincipal"],
            ],
        );
        assert.notEqual(own[0].inputs.principalId, own[1].inputs.principalId, "each project's own identity");
        assert.notEqual(own[0].inputs.roleAssignmentName, own[1].inputs.roleAssignmentName);
        assert.match(committedText("prod"), /^ {8}its own identity: Foundry User on oai-contoso-prod$/m);
    });

    it("registers its one private endpoint in the three zones, created and linked by the stack", async () => {
        const plan = await planFor("AIServices");
        assert.deepEqual(byType(plan, "azure-native:privatedns:PrivateZone").map((z) => [z.name, z.inputs.privateZoneName]), [
            ["private-network-dns-zone", "privatelink.openai.azure.com"],
            ["private-network-cognitiveservices-dns-zone", "privatelink.cognitiveservices.azure.com"],
            ["private-network-services-ai-dns-zone", "privatelink.services.ai.azure.com"],
        ]);
        assert.equal(byType(plan, "azure-native:privatedns:VirtualNetworkLink").length, 3);
        const configs = one(plan, "azure-native:network:PrivateDnsZoneGroup").inputs.privateDnsZoneConfigs as { name: string; privateDnsZoneId: string }[];
        assert.deepEqual(configs.map((c) => c.name), ["privatelink-openai-azure-com", "privatelink-cognitiveservices-azure-com", "privatelink-services-ai-azure-com"]);
        const text = formatPlanText(plan, "test", [], today);
        assert.match(text, /open {4}network vnet-demo-test -> account oai-demo-test: private endpoint pe-oai-demo-test; private DNS privatelink\.openai\.azure\.com, privatelink\.cognitiveservices\.azure\.com, privatelink\.services\.ai\.azure\.com linked to vnet-demo-test\n/);
    });

    it("takes all three zones from a hub, each the zone its key names, and creates none", async () => {
        const hub = { vnetAddressSpace: "10.20.0.0/24", subnetAddressPrefix: "10.20.0.0/27", dnsZoneId: `${zones}/privatelink.openai.azure.com`, cognitiveServicesDnsZoneId: `${zones}/privatelink.cognitiveservices.azure.com`, aiServicesDnsZoneId: `${zones}/privatelink.services.ai.azure.com` };
        const plan = await planFor("AIServices", { privateEndpoint: hub });
        assert.equal(byType(plan, "azure-native:privatedns:PrivateZone").length, 0);
        const configs = one(plan, "azure-native:network:PrivateDnsZoneGroup").inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[];
        assert.deepEqual(configs.map((c) => c.privateDnsZoneId), [hub.dnsZoneId, hub.cognitiveServicesDnsZoneId, hub.aiServicesDnsZoneId]);
    });

    it("outputs the Foundry endpoint and each project's endpoint beside the Azure OpenAI one (Contract 2 keeps its meaning)", async () => {
        const plan = await planFor("AIServices", { customSubdomain: "demo-foundry", projects: [project] });
        assert.equal(plan.outputs.kind, "AIServices");
        assert.equal(plan.outputs.endpoint, "https://demo-foundry.openai.azure.com/");
        assert.equal(plan.outputs.foundryEndpoint, "https://demo-foundry.services.ai.azure.com/");
        assert.deepEqual(plan.outputs.projects, [{ name: "support-assistant", endpoint: "https://demo-foundry.services.ai.azure.com/api/projects/support-assistant" }]);
        const openai = await planFor("OpenAI", { customSubdomain: "demo-foundry" });
        assert.deepEqual([openai.outputs.kind, openai.outputs.foundryEndpoint, openai.outputs.projects], ["OpenAI", undefined, undefined]);
    });

    it("holds projects on the primary only: a secondary region serves the same deployments", async () => {
        const plan = await planFor("AIServices", { projects: [project], regions: [{ location: "westus3" }] });
        assert.deepEqual(byType(plan, "azure-native:cognitiveservices:Project").map((p) => p.inputs.accountName), ["oai-demo-test"]);
        assert.deepEqual(byType(plan, "azure-native:cognitiveservices:Account").map((a) => a.inputs.kind), ["AIServices", "AIServices"]);
    });

    it("refuses projects, and the Foundry zones, on an OpenAI account, naming the key", () => {
        assert.match(problems(() => config("OpenAI", { projects: [project] }))[0], /^aoai:projects: needs kind: AIServices/);
        assert.match(problems(() => config(undefined, { privateEndpoint: { subnetId: "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s", aiServicesDnsZoneId: `${zones}/privatelink.services.ai.azure.com` } }))[0], /^aoai:privateEndpoint\.aiServicesDnsZoneId: is for kind AIServices only/);
    });

    it("the committed prod stack is one: a project, the hub's three zones, a customer-managed key and the gateway", () => {
        const prod = committedPlan("prod");
        const account = prod.resources.find((r) => r.name === "openai-account")!;
        assert.equal(account.inputs.kind, "AIServices");
        assert.ok((account.inputs.properties as Record<string, unknown>).encryption, "customer-managed key");
        assert.equal(byType(prod, "azure-native:cognitiveservices:Project").length, 1);
        const group = prod.resources.find((r) => r.name === "private-network-dns-zone-group")!;
        assert.deepEqual((group.inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[]).map((c) => c.privateDnsZoneId.split("/").slice(4).join("/")), [
            "rg-contoso-hub/providers/Microsoft.Network/privateDnsZones/privatelink.openai.azure.com",
            "rg-contoso-hub/providers/Microsoft.Network/privateDnsZones/privatelink.cognitiveservices.azure.com",
            "rg-contoso-hub/providers/Microsoft.Network/privateDnsZones/privatelink.services.ai.azure.com",
        ]);
        assert.equal(byType(prod, "azure-native:apimanagement:ApiManagementService").length, 1);
        assert.match(committedText("prod"), /Foundry projects \(who may use each, with roles on the project only; and what the project's own identity may do on its account\):\n    oai-contoso-prod\/support-assistant \(identity SystemAssigned\): Foundry User to Group 7c9e6679/);
    });

    it("draws each project with who may use it", async () => {
        const plan = await planFor("AIServices", { projects: [project] });
        const diagram = formatPlanDiagram(plan);
        const projectNode = `r${plan.resources.findIndex((r) => r.type === "azure-native:cognitiveservices:Project")}`;
        assert.match(diagram, new RegExp(`_who>"Group ${group}"\\] -->\\|"Entra ID: Foundry User"\\| ${projectNode}\\n`));
    });
});

describe("changing the kind", () => {
    const renderBoth = async (before: string, after: string, extra: Record<string, unknown> = {}) => [await planFor(before, extra), await planFor(after, extra)] as [Plan, Plan];

    it("OpenAI -> AIServices is an in-place upgrade: a warning, the two zones added, nothing replaced or deleted", async () => {
        const [openai, foundry] = await renderBoth("OpenAI", "AIServices");
        const changes = diffPlans(openai, foundry, today);
        const kind = changes.find((c) => c.path === "kind")!;
        assert.deepEqual([kind.severity, kind.kind, kind.resource], ["warning", "kind", "openai-account"]);
        assert.match(kind.message, /upgraded in place to a Foundry resource: endpoint, keys, identity and deployments stay/);
        assert.deepEqual(changes.filter((c) => c.kind === "replace" || c.kind === "delete" || c.severity === "danger"), []);
        assert.deepEqual(changes.filter((c) => c.kind === "create").map((c) => c.resource).sort(), [
            "private-network-cognitiveservices-dns-link",
            "private-network-cognitiveservices-dns-zone",
            "private-network-services-ai-dns-link",
            "private-network-services-ai-dns-zone",
        ]);
        assert.ok(changes.some((c) => c.resource === "private-network-dns-zone-group" && c.path?.startsWith("privateDnsZoneConfigs[1]")), "the zone group gains the new zones in the same run");
    });

    it("names the customer-managed key's condition when the upgraded account has one", async () => {
        const [openai, foundry] = await renderBoth("OpenAI", "AIServices", { encryption: { createKeyVault: true } });
        assert.match(diffPlans(openai, foundry, today).find((c) => c.path === "kind")!.message, /Microsoft does not support the upgrade of an account a customer-managed key encrypts: if Azure has this one encrypted, the program stops/);
    });

    it("AIServices -> OpenAI is a roll back, marked dangerous", async () => {
        const [foundry, openai] = await renderBoth("AIServices", "OpenAI");
        const kind = diffPlans(foundry, openai, today).find((c) => c.path === "kind")!;
        assert.deepEqual([kind.severity, kind.kind], ["danger", "kind"]);
        assert.match(kind.message, /rolled back from a Foundry resource to Azure OpenAI.*roll it back in Azure first/);
    });

    it("a project's removal or rename is dangerous: its team's endpoint and work go", async () => {
        const [withProject, without] = [await planFor("AIServices", { projects: [project] }), await planFor("AIServices")];
        const removed = diffPlans(withProject, without, today).find((c) => c.resource === "openai-project-support-assistant")!;
        assert.deepEqual([removed.severity, removed.kind], ["danger", "delete"]);
    });
});

describe("Microsoft's upgrade of a live account", () => {
    const live = (kind: string, customerManagedKey = false) => ({ kind, customerManagedKey });

    it("declares what the stack says when Azure agrees, or upgrades an OpenAI account", () => {
        assert.equal(kindProblem("OpenAI", undefined, "oai-x"), undefined);
        assert.equal(kindProblem("OpenAI", live("OpenAI"), "oai-x"), undefined);
        assert.equal(kindProblem("AIServices", live("OpenAI"), "oai-x"), undefined);
        assert.equal(kindProblem("AIServices", live("AIServices"), "oai-x"), undefined);
        assert.equal(kindProblem("AIServices", live("AIServices", true), "oai-x"), undefined, "a Foundry resource with its own key is fine");
    });

    it("never rolls an upgraded account back, and says how to adopt it", () => {
        assert.match(kindProblem("OpenAI", live("AIServices"), "oai-x")!, /^Account oai-x is kind AIServices in Azure .* Set aoai:kind: AIServices/);
        assert.match(kindProblem("AIServices", live("CognitiveServices"), "oai-x")!, /is kind CognitiveServices in Azure; Azure changes a kind only between OpenAI and AIServices/);
    });

    it("refuses to upgrade an account a customer-managed key encrypts, which Microsoft does not support", async () => {
        assert.match(kindProblem("AIServices", live("OpenAI", true), "oai-x")!, /^Account oai-x is an Azure OpenAI account encrypted with a customer-managed key.*does not support upgrading.*Keep aoai:kind: OpenAI/);
        await assert.rejects(renderConfig(config("AIServices"), undefined, { accountKinds: { "oai-demo-test": "OpenAI" }, customerManagedKeys: ["oai-demo-test"] }), /customer-managed key/);
        // The same account, kept as OpenAI, renders as before.
        const kept = await renderConfig(config("OpenAI"), undefined, { accountKinds: { "oai-demo-test": "OpenAI" }, customerManagedKeys: ["oai-demo-test"] });
        assert.equal(one(kept, "azure-native:cognitiveservices:Account").inputs.kind, "OpenAI");
    });

    it("stops the program before anything is declared, for every region's account, and when an account cannot be read", async () => {
        const regional = config("OpenAI", { regions: [{ location: "westus3" }] });
        await assert.rejects(renderConfig(regional, undefined, { accountKinds: { "oai-demo-test-westus3": "AIServices" } }), (err: Error) => {
            assert.match(err.message, /^Account oai-demo-test-westus3 is kind AIServices in Azure/);
            return true;
        });
        await assert.rejects(renderConfig(config("OpenAI"), undefined, { unreadableAccounts: ["oai-demo-test"] }), /^Error: Could not read account oai-demo-test in rg-demo-test to compare its kind with the stack's \(.*AuthorizationFailed.*\); the program stops rather than guess/);
        const upgraded = await renderConfig(config("AIServices"), undefined, { accountKinds: { "oai-demo-test": "OpenAI" } });
        assert.equal(one(upgraded, "azure-native:cognitiveservices:Account").inputs.kind, "AIServices");
    });
});

describe("the pack on projects", () => {
    const prodPolicy = readPolicyConfig(path.join(RepoRoot, "policy", "config", "prod.json"));
    const devPolicy = readPolicyConfig(path.join(RepoRoot, "policy", "config", "dev.json"));
    const projectViolations = async (plan: Plan, policy = prodPolicy) => (await evaluatePolicies(plan, policy)).filter((v) => v.policy === "foundry-projects").map((v) => v.message);

    it("refuses a project without a managed identity, or on an account that cannot hold one", async () => {
        const plan = structuredClone(committedPlan("prod"));
        const p = plan.resources.find((r) => r.type === "azure-native:cognitiveservices:Project")!;
        delete p.inputs.identity;
        const account = plan.resources.find((r) => r.name === "openai-account")!;
        account.inputs.kind = "OpenAI";
        const messages = await projectViolations(plan);
        assert.equal(messages.length, 2, messages.join("\n"));
        assert.match(messages[0], /identity type "None"/);
        assert.match(messages[1], /not a kind-AIServices account with allowProjectManagement: true/);
    });

    it("refuses a project on a public account where required (prod), and only there", async () => {
        const plan = await planFor("AIServices", { projects: [project], network: { publicNetworkAccess: "Enabled", defaultAction: "Deny" } });
        assert.match((await projectViolations(plan))[0], /answers its public endpoint/);
        assert.deepEqual(await projectViolations(plan, devPolicy), []);
    });
});
