/**
 * A first `pulumi up` on an empty subscription completes, and the next ones converge: the private
 * gateway at each phase Azure puts it through, bounded waits after the role grants the key and the
 * account need, and a budget start that cannot go stale (an injected clock across a month boundary).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as path from "path";
import { firstOfMonth, checkBudgetStart } from "../infra/operations/budget.config";
import { ConfigError, parseStackConfig } from "../infra/config";
import { AbsentGateway, GatewayBootstrapTag, gatewayPublicAccess } from "../infra/gateway/gatewayAccess";
import { isNotFound } from "../infra/core/liveRead";
import type { LiveGatewayPhase } from "../tools/plan/azureMocks";
import { renderConfig } from "../tools/plan/offlinePlan";
import { evaluatePolicies, readPolicyConfig } from "../tools/review/offlinePolicy";
import type { Plan, PlanResource } from "../tools/plan/planModel";
import { RepoRoot, stackFilePath } from "../tools/repo";
import { parseStackFile, readStackFile } from "../tools/plan/stackFile";

const prodConfig = parseStackFile("prod", readStackFile(stackFilePath("prod")));
const prodPolicy = readPolicyConfig(path.join(RepoRoot, "policy", "config", "prod.json"));
const renders = new Map<LiveGatewayPhase, Promise<Plan>>();
/** Prod as rendered in a phase; each phase once, and a test that edits a plan edits a copy. */
const renderProd = async (phase: LiveGatewayPhase): Promise<Plan> => {
    if (!renders.has(phase)) renders.set(phase, renderConfig(prodConfig, undefined, { gateway: phase }));
    return structuredClone(await renders.get(phase)!);
};
const service = (plan: Plan): PlanResource => plan.resources.find((r) => r.type === "azure-native:apimanagement:ApiManagementService")!;

describe("a private gateway, phase by phase", () => {
    it("first run (nothing exists yet): created public, marked, and the output asks for another pulumi up", async () => {
        const plan = await renderProd("absent");
        assert.equal(service(plan).inputs.publicNetworkAccess, "Enabled", "Azure refuses to create API Management with public access disabled");
        assert.equal((service(plan).inputs.tags as Record<string, string>)[GatewayBootstrapTag], "public-until-private-endpoint-approved");
        assert.equal(plan.outputs.gatewayPrivateAccessPending, true);
        assert.ok(plan.resources.some((r) => r.type === "azure-native:network:PrivateEndpoint" && r.name === "gateway-endpoint"), "the private endpoint is created in the same run");
        assert.deepEqual(await evaluatePolicies(plan, prodPolicy), [], "the mandatory pack lets the marked first run through");
    });

    it("a run after a first one that did not finish closing it: still public until the endpoint is approved", async () => {
        const plan = await renderProd("public");
        assert.equal(service(plan).inputs.publicNetworkAccess, "Enabled");
        assert.equal(plan.outputs.gatewayPrivateAccessPending, true);
    });

    it("a run while the endpoint awaits approval: a Pending connection is not an approved one, so still public", async () => {
        const plan = await renderProd("pending");
        assert.equal(service(plan).inputs.publicNetworkAccess, "Enabled");
        assert.equal((service(plan).inputs.tags as Record<string, string>)[GatewayBootstrapTag], "public-until-private-endpoint-approved");
        assert.equal(plan.outputs.gatewayPrivateAccessPending, true);
    });

    it("second run (endpoint approved): closed, unmarked, and nothing pending", async () => {
        const plan = await renderProd("private");
        assert.equal(service(plan).inputs.publicNetworkAccess, "Disabled");
        assert.equal((service(plan).inputs.tags as Record<string, string>)[GatewayBootstrapTag], undefined);
        assert.equal(plan.outputs.gatewayPrivateAccessPending, false);
        assert.deepEqual(await evaluatePolicies(plan, prodPolicy), []);
    });

    it("a gateway public without the program's mark fails the pack", async () => {
        const plan = await renderProd("absent");
        delete (service(plan).inputs.tags as Record<string, string>)[GatewayBootstrapTag];
        const policies = [...new Set((await evaluatePolicies(plan, prodPolicy)).map((v) => v.policy))].sort();
        assert.deepEqual(policies, ["openai-reachability", "openai-resilience", "security-benchmark"]);
    });

    it("decides from what Azure has: never reopens a closed gateway, and keeps a public one public", () => {
        assert.deepEqual(gatewayPublicAccess("Disabled", AbsentGateway), { publicNetworkAccess: "Enabled", pending: true });
        assert.deepEqual(gatewayPublicAccess("Disabled", { exists: true, publicNetworkAccess: "Disabled", approvedPrivateEndpoint: false }), { publicNetworkAccess: "Disabled", pending: false });
        assert.deepEqual(gatewayPublicAccess("Disabled", { exists: true, publicNetworkAccess: "Enabled", approvedPrivateEndpoint: true }), { publicNetworkAccess: "Disabled", pending: false });
        assert.deepEqual(gatewayPublicAccess("Enabled", { exists: true, publicNetworkAccess: "Disabled", approvedPrivateEndpoint: true }), { publicNetworkAccess: "Enabled", pending: false });
    });

    it("treats only 'not found' as absence: any other failure to read stops the program", () => {
        for (const text of ["Resource group 'rg-x' could not be found. (Code: ResourceGroupNotFound)", "Code=\"ResourceNotFound\"", "status code 404"]) {
            assert.equal(isNotFound(new Error(text)), true, text);
        }
        for (const text of ["AuthorizationFailed: does not have authorization", "status code 429 TooManyRequests", "getaddrinfo ENOTFOUND management.azure.com", "status code 403"]) {
            assert.equal(isNotFound(new Error(text)), false, text);
        }
    });
});

describe("bounded waits after role grants", () => {
    it("the key waits after the deployer's grant, the account after its identity's, each for the configured time", async () => {
        const plan = await renderProd("private");
        const byName = (name: string) => plan.resources.find((r) => r.name === name)!;
        const keyWait = byName("encryption-deployer-key-officer-wait");
        assert.deepEqual([keyWait.type, keyWait.inputs.createDuration, keyWait.dependsOn], ["time:index/sleep:Sleep", "600s", ["encryption-deployer-key-officer"]], "Key Vault's 10 minutes by default");
        assert.deepEqual(byName("encryption-key").dependsOn, ["encryption-deployer-key-officer-wait"]);
        assert.deepEqual(byName("encryption-identity-key-user-wait").dependsOn, ["encryption-identity-key-user"]);
        assert.deepEqual(byName("openai-account").dependsOn, ["encryption-identity-key-user-wait"]);
        // A replaced grant is waited for again: the wait is keyed on the assignment.
        assert.match(String((keyWait.inputs.triggers as Record<string, unknown>).roleAssignmentId), /\/roleAssignments\//);
    });

    it("grantWaitSeconds sets the wait, and 0 turns it off", async () => {
        const encryption = (grantWaitSeconds: number) =>
            parseStackConfig({ location: "eastus2", namePrefix: "demo", deployments: JSON.stringify([{ name: "chat", model: "gpt-4o-mini", version: "2099-07-18", sku: "Standard", capacity: 5 }]), encryption: JSON.stringify({ createKeyVault: true, grantWaitSeconds }) }, "test");
        const none = await renderConfig(encryption(0));
        assert.equal(none.resources.filter((r) => r.type === "time:index/sleep:Sleep").length, 0);
        assert.deepEqual(none.resources.find((r) => r.name === "openai-account")!.dependsOn, ["encryption-identity-key-user"]);
        const short = await renderConfig(encryption(120));
        assert.deepEqual(short.resources.filter((r) => r.type === "time:index/sleep:Sleep").map((r) => r.inputs.createDuration), ["120s", "120s"]);
    });
});

describe("a budget start that cannot go stale", () => {
    const budget = (startDate?: string) => ({ amount: 100, contactEmails: ["ops@contoso.com"], ...(startDate ? { startDate } : {}) });
    const parseOn = (day: string, startDate?: string) =>
        parseStackConfig({ location: "eastus", namePrefix: "demo", deployments: JSON.stringify([{ name: "chat", model: "gpt-4o-mini", version: "2099-07-18", sku: "Standard", capacity: 5 }]), budget: JSON.stringify(budget(startDate)) }, "test", [], new Date(day));

    it("starts in the month of the pulumi up that creates it, on either side of a month boundary", () => {
        assert.equal(parseOn("2026-12-31T23:59:59Z").budget!.startDate, "2026-12-01");
        assert.equal(parseOn("2027-01-01T00:00:00Z").budget!.startDate, "2027-01-01");
        assert.equal(firstOfMonth(new Date("2027-12-15T00:00:00Z"), 12), "2028-12-01");
    });

    it("keeps the start Azure has on every later update (Azure refuses to move it)", async () => {
        const plan = await renderConfig(parseOn("2027-03-10T00:00:00Z"));
        const monthly = plan.resources.find((r) => r.type === "azure-native:consumption:Budget")!;
        assert.deepEqual(monthly.inputs.timePeriod, { startDate: "2027-03-01T00:00:00Z" });
        // ignoreChanges is not in the plan's inputs: the component declares it; budget.ts holds the line.
    });

    it("refuses a pinned start that Azure's window no longer allows, naming budget.startDate", () => {
        assert.equal(checkBudgetStart("2026-12-01", new Date("2026-12-31T00:00:00Z")), undefined);
        assert.match(checkBudgetStart("2026-12-01", new Date("2027-01-01T00:00:00Z"))!, /is in the past; .*\(2027-01-01\)\. Remove startDate/);
        assert.match(checkBudgetStart("2028-01-01", new Date("2026-12-05T00:00:00Z"))!, /more than 12 months ahead; Azure accepts a start up to 2027-12-01/);
        assert.throws(() => parseOn("2027-01-01T00:00:00Z", "2026-12-01"), (err: unknown) => err instanceof ConfigError && err.problems.length === 1 && err.problems[0].startsWith("aoai:budget.startDate: 2026-12-01 is in the past"));
    });

    it("no committed stack pins a start date", () => {
        for (const stack of ["dev", "staging", "prod"]) {
            assert.equal(parseStackFile(stack, readStackFile(stackFilePath(stack)), new Date("2027-06-15T00:00:00Z")).budget?.startDateFromStack ?? false, false, stack);
        }
    });
});
