/**
 * Content filters as code: policies and blocklists in the shape Azure accepts, written in one chain
 * with the deployments that name them, item names that survive reordering, and plan-diff and pack
 * rules for loosening them.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { blocklistItemName, raiContentFilters } from "../infra/protection/contentFilters";
import { evaluatePolicies } from "../tools/review/offlinePolicy";
import { diffPlans } from "../tools/diff/planDiff";
import type { Plan, PlanResource } from "../tools/plan/planModel";
import { byType, minimalConfig, one, planOf, primaryOf, writeStackFile, committedPlan } from "./helpers";

const props = (r: PlanResource) => r.inputs.properties as any;

const withFilters = (contentFilters: unknown, raiPolicyName = "strict") =>
    minimalConfig({
        "aoai:deployments": [{ name: "chat", model: "gpt-4o-mini", version: "2099-07-18", sku: "GlobalStandard", capacity: 5, raiPolicyName }],
        "aoai:contentFilters": contentFilters,
    });

describe("content filter policies", () => {
    const prod = committedPlan("prod");

    it("in prod: one policy with a blocklist in each region, named by every deployment", async () => {
        const policy = primaryOf(prod, "azure-native:cognitiveservices:RaiPolicy");
        assert.equal(policy.inputs.raiPolicyName, "prod-strict");
        for (const d of byType(prod, "azure-native:cognitiveservices:Deployment")) assert.equal(props(d).raiPolicyName, "prod-strict");
        assert.deepEqual(props(policy).customBlocklists, [
            { blocking: true, blocklistName: "internal-codenames", source: "Prompt" },
            { blocking: true, blocklistName: "internal-codenames", source: "Completion" },
        ]);
        assert.deepEqual(byType(prod, "azure-native:cognitiveservices:RaiPolicy").map((p) => p.inputs.accountName), ["oai-contoso-prod", "oai-contoso-prod-westus3"]);
        assert.equal(byType(prod, "azure-native:cognitiveservices:RaiBlocklistItem").length, 4, "two terms in each region");
    });

    it("are written in one chain on the account: blocklist, its items, the policy, then the deployments and projects", async () => {
        const order = prod.resources.filter((r) => r.parent === "openai" && r.type !== "azure-native:cognitiveservices:Account" && r.type !== "azure-native:authorization:ManagementLockByScope" && r.type !== "aoai:platform:AccountAlerts");
        for (let i = 1; i < order.length; i++) assert.deepEqual(order[i].dependsOn, [order[i - 1].name], `${order[i].name} waits for ${order[i - 1].name}`);
        assert.deepEqual(order.map((r) => r.type.split(":").pop()), ["RaiBlocklist", "RaiBlocklistItem", "RaiBlocklistItem", "RaiPolicy", "Deployment", "Deployment", "Project"]);
    });

    it("send each filter in the shape of Azure's own example: on/off filters on their one side, without severity", async () => {
        const filters = raiContentFilters({
            name: "p",
            basePolicy: "Microsoft.DefaultV2",
            mode: "Default",
            harm: { hate: { prompt: "Low", completion: "off" }, sexual: { prompt: "High", completion: "High" }, selfHarm: { prompt: "Medium", completion: "Medium" }, violence: { prompt: "Medium", completion: "Medium" } },
            filters: { jailbreak: true, indirectAttack: false, protectedMaterialText: true, protectedMaterialCode: true },
            blocklists: [],
        });
        assert.deepEqual(filters.slice(0, 2), [
            { name: "Hate", source: "Prompt", enabled: true, blocking: true, severityThreshold: "Low" },
            { name: "Hate", source: "Completion", enabled: false, blocking: false },
        ]);
        assert.deepEqual(filters.slice(8), [
            { name: "Jailbreak", source: "Prompt", enabled: true, blocking: true },
            { name: "Indirect Attack", source: "Prompt", enabled: false, blocking: false },
            { name: "Protected Material Text", source: "Completion", enabled: true, blocking: true },
            { name: "Protected Material Code", source: "Completion", enabled: true, blocking: true },
        ]);
    });

    it("default to Azure's defaults: Medium everywhere, jailbreak and protected material on, indirect attack off", async () => {
        const policy = one(await planOf(["--config-file", writeStackFile(withFilters({ policies: { strict: {} } }))]), "azure-native:cognitiveservices:RaiPolicy");
        assert.equal(props(policy).basePolicyName, "Microsoft.DefaultV2");
        const harm = props(policy).contentFilters.slice(0, 8);
        assert.ok(harm.every((f: { severityThreshold: string }) => f.severityThreshold === "Medium"));
        assert.equal(props(policy).contentFilters.find((f: { name: string }) => f.name === "Indirect Attack").enabled, false);
    });

    it("let a deployment name Azure's built-in policies without declaring them", async () => {
        const plan = await planOf(["--config-file", writeStackFile(withFilters({}, "Microsoft.DefaultV2"))]);
        assert.equal(props(primaryOf(plan, "azure-native:cognitiveservices:Deployment")).raiPolicyName, "Microsoft.DefaultV2");
        assert.equal(byType(plan, "azure-native:cognitiveservices:RaiPolicy").length, 0);
    });
});

describe("blocklist items", () => {
    it("are named from what they block, so reordering the list replaces nothing", async () => {
        const items = [{ pattern: "alpha", regex: false }, { pattern: "beta\\d", regex: true }];
        const names = async (list: typeof items) =>
            byType(await planOf(["--config-file", writeStackFile(withFilters({ policies: { strict: { blocklists: ["words"] } }, blocklists: { words: { items: list } } }))]), "azure-native:cognitiveservices:RaiBlocklistItem")
                .map((r) => r.name)
                .sort();
        assert.deepEqual(await names(items), await names([...items].reverse()));
        assert.notEqual(blocklistItemName({ pattern: "alpha", regex: false }), blocklistItemName({ pattern: "alpha", regex: true }));
    });
});

describe("loosening a filter", () => {
    const prod = committedPlan("prod");
    const loosened = (edit: (plan: Plan) => void) => {
        const copy = structuredClone(prod);
        edit(copy);
        return diffPlans(prod, copy).filter((c) => c.kind === "content-filter");
    };

    it("is a warning in the plan diff: a higher threshold, a filter off, a term removed", async () => {
        const higher = loosened((p) => (props(primaryOf(p, "azure-native:cognitiveservices:RaiPolicy")).contentFilters[0].severityThreshold = "High"));
        assert.deepEqual(higher.map((c) => [c.severity, c.before, c.after]), [["warning", "Low", "High"]]);
        const off = loosened((p) => (props(primaryOf(p, "azure-native:cognitiveservices:RaiPolicy")).contentFilters[8].enabled = false));
        assert.equal(off[0].severity, "warning");
        const removed = loosened((p) => (p.resources = p.resources.filter((r) => r.inputs.raiBlocklistItemName !== byType(prod, "azure-native:cognitiveservices:RaiBlocklistItem")[0].inputs.raiBlocklistItemName)));
        assert.match(removed[0].message, /no longer blocked/);
    });

    it("fails the pack in prod unless the stack's policy config records why", async () => {
        const plan = await planOf(["--config-file", writeStackFile(withFilters({ policies: { strict: { violence: "off" } } }))]);
        const config = (exemptions: unknown[]) => ({ all: "mandatory" as const, "openai-content-filter-harm-categories": { exemptions } });
        const violations = await evaluatePolicies(plan, config([]));
        assert.deepEqual(violations.filter((v) => v.policy === "openai-content-filter-harm-categories").map((v) => v.message.match(/Violence on \w+/)?.[0]), ["Violence on Prompt", "Violence on Completion"]);
        const exempt = await evaluatePolicies(plan, config([{ policy: "strict", category: "Violence", reason: "Red-team evaluation of violent fiction, approved by the RAI board" }]));
        assert.equal(exempt.filter((v) => v.policy === "openai-content-filter-harm-categories").length, 0);
        const noReason = await evaluatePolicies(plan, config([{ policy: "strict", category: "Violence", reason: "because" }]));
        assert.equal(noReason.filter((v) => v.policy === "openai-content-filter-harm-categories").length, 2, "a reason is more than a word");
    });
});
