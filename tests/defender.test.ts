/**
 * Defender for AI: the per-account setting on every account where the stack opts in (prod by default),
 * the subscription's plan only where a stack claims it, and never two committed stacks claiming one
 * subscription's plan (Azure writes a plan's extension list whole, so they would undo each other).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { renderPlan } from "../tools/plan/offlinePlan";
import { loadStack, readStackFile } from "../tools/plan/stackFile";
import { subscriptionClaimProblems } from "../tools/stacks/subscriptionClaims";
import { stackList } from "../tools/stacks/route";
import { byType, committedPlan, minimalConfig, writeStackFile } from "./helpers";

const Setting = "azure-native:resources:Resource";

describe("Defender for AI on the accounts", () => {
    it("prod declares it on both accounts at the REST path and version Microsoft documents", () => {
        const settings = byType(committedPlan("prod"), Setting);
        assert.deepEqual(settings.map((s) => s.inputs.parentResourcePath), ["accounts/oai-contoso-prod", "accounts/oai-contoso-prod-westus3"]);
        for (const s of settings) {
            assert.deepEqual(
                { ns: s.inputs.resourceProviderNamespace, type: s.inputs.resourceType, name: s.inputs.resourceName, api: s.inputs.apiVersion, state: (s.inputs.properties as { state: string }).state },
                { ns: "Microsoft.CognitiveServices", type: "defenderForAISettings", name: "Default", api: "2025-06-01", state: "Enabled" },
            );
        }
        assert.equal(byType(committedPlan("prod"), "azure-native:security:Pricing").length, 0, "prod leaves the subscription's plan to the landing zone");
    });

    it("dev leaves it off", () => {
        assert.equal(byType(committedPlan("dev"), Setting).length, 0);
    });

    it("a stack that claims the subscription's plan declares it with prompt evidence, at the subscription", async () => {
        const plan = await renderPlan("test", readStackFile(writeStackFile(minimalConfig({ "aoai:defenderForAI": { accounts: true, subscriptionPlan: true } }))));
        const [pricing] = byType(plan, "azure-native:security:Pricing");
        assert.equal(pricing.inputs.pricingName, "AI");
        assert.equal(pricing.inputs.pricingTier, "Standard");
        assert.match(String(pricing.inputs.scopeId), /^\/subscriptions\/[0-9a-f-]{36}$/);
        assert.deepEqual(pricing.inputs.extensions, [{ name: "AIPromptEvidence", isEnabled: "True" }]);
        assert.equal(byType(plan, Setting).length, 1);
    });
});

describe("one claim on a subscription's plan", () => {
    const claim = (stack: string, subscriptionId?: string) =>
        ({ ...loadStack(stack, undefined, writeStackFile(minimalConfig({ "aoai:defenderForAI": { accounts: true, subscriptionPlan: true }, ...(subscriptionId ? { "azure-native:subscriptionId": subscriptionId } : {}) }), stack)), stack });
    const sub = "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b";

    it("refuses two stacks claiming one subscription, naming both", () => {
        assert.deepEqual(subscriptionClaimProblems([claim("a", sub), claim("b", sub.toUpperCase())]), [
            `a and b both claim the Defender for AI plan of subscription ${sub}; Azure keeps one plan per subscription, so set subscriptionPlan in one of them only`,
        ]);
    });

    it("refuses a claim that pins no subscription, since it cannot be checked", () => {
        assert.match(subscriptionClaimProblems([claim("a")])[0], /^a claims its subscription's Defender for AI plan .* pins no azure-native:subscriptionId/);
    });

    it("accepts one claim per subscription, and the committed stacks", () => {
        assert.deepEqual(subscriptionClaimProblems([claim("a", sub), claim("b", "7f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b")]), []);
        assert.deepEqual(stackList(), ["dev", "prod", "staging", "hub"]);
    });
});
