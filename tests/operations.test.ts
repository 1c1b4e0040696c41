/**
 * Operations: a budget, an action group and alerts whose thresholds come from each deployment's own
 * capacity; prod has them all, dev none; removing one is a dangerous change.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { alertRules } from "../infra/operations/alertRules";
import { ConfigKeys, parseStackConfig } from "../infra/config";
import type { Plan, PlanResource } from "../tools/plan/planModel";
import { diffPlans } from "../tools/diff/planDiff";
import { printPlans } from "../tools/plan/planOutput";
import { runPlan } from "../tools/plan/planProcess";
import { parseStackFile, readStackFile } from "../tools/plan/stackFile";
import { RepoRoot, stackFilePath, stackNames } from "../tools/repo";
import { byType, committedPlan, minimalConfig, planOf, writeStackFile } from "./helpers";

const alerts = { actionGroup: { shortName: "ops", emails: ["ops@contoso.com"] } };
const criterion = (r: PlanResource) => (r.inputs.criteria as { allOf: { metricName: string; threshold: number; dimensions: { name: string; values: string[] }[] }[] }).allOf[0];
const chat = (capacity: number, sku = "GlobalStandard") => [{ name: "chat", model: "gpt-4o-mini", version: "2099-07-18", sku, capacity }];

describe("alert thresholds", () => {
    it("follow each deployment's capacity: 80% of capacity x 1000 tokens per minute", async () => {
        for (const capacity of [5, 50]) {
            const plan = await planOf(["--config-file", writeStackFile(minimalConfig({ "aoai:deployments": chat(capacity), "aoai:alerts": alerts }))]);
            const saturation = byType(plan, "azure-native:monitor:MetricAlert").find((a) => a.name === "openai-alerts-saturation-chat")!;
            assert.equal(criterion(saturation).threshold, capacity * 800);
            assert.deepEqual(criterion(saturation).dimensions, [{ name: "ModelDeploymentName", operator: "Include", values: ["chat"] }]);
            assert.equal(saturation.inputs.description, `chat: 80% of ${capacity}K TPM = ${(capacity * 800).toLocaleString("en-US")} tokens/min`);
        }
    });

    it("watch PTU utilisation for provisioned deployments, and the share the stack sets", async () => {
        const [rule] = alertRules({ ...alerts, quotaSaturationPercent: 70, throttledRequests: 10, availabilityFloorPercent: 99, latencyCeilingMs: 10000 }, [
            { name: "ptu", model: "gpt-4o", version: "2099-11-20", sku: "ProvisionedManaged", capacity: 50, versionUpgradeOption: "NoAutoUpgrade" },
        ]);
        assert.deepEqual([rule.metricName, rule.threshold, rule.timeAggregation], ["AzureOpenAIProvisionedManagedUtilizationV2", 70, "Average"]);
    });
});

describe("prod and dev", () => {
    const prod = JSON.parse(readFileSync(path.join(RepoRoot, "tests", "snapshots", "prod.plan.json"), "utf8")) as Plan;

    it("prod has a budget, an action group with a receiver, and every alert routed to it", async () => {
        const [budget] = byType(prod, "azure-native:consumption:Budget");
        assert.equal(budget.inputs.amount, 5000);
        assert.deepEqual((budget.inputs.timePeriod as object), { startDate: "2026-12-01T00:00:00Z" });
        assert.deepEqual(Object.keys(budget.inputs.notifications as object).sort(), ["actual-100", "actual-80", "forecasted-110"]);
        const [group] = byType(prod, "azure-native:monitor:ActionGroup");
        assert.equal((group.inputs.emailReceivers as unknown[]).length, 1);
        const rules = byType(prod, "azure-native:monitor:MetricAlert");
        assert.deepEqual(rules.filter((r) => r.parent === "openai-alerts").map((r) => [r.name, criterion(r).metricName, criterion(r).threshold]), [
            ["openai-alerts-saturation-chat", "TokenTransaction", 80000],
            ["openai-alerts-saturation-chat-mini", "TokenTransaction", 160000],
            ["openai-alerts-throttling", "AzureOpenAIRequests", 10],
            ["openai-alerts-availability", "AzureOpenAIAvailabilityRate", 99],
            ["openai-alerts-latency", "AzureOpenAITimeToResponse", 10000],
            ["openai-alerts-content-filter", "RAIRejectedRequests", 20],
        ]);
        assert.ok(rules.every((r) => r.inputs.location === "global" && (r.inputs.actions as { actionGroupId: string }[])[0].actionGroupId.endsWith("/actionGroups/ag-oai-contoso-prod")));
        // The secondary region watches its own capacity (half the primary's) and tells the same group.
        assert.deepEqual(rules.filter((r) => r.parent === "openai-westus3-alerts" && criterion(r).metricName === "TokenTransaction").map((r) => criterion(r).threshold), [40000, 80000]);
    });

    it("dev has none: alerts and budgets are off unless a stack turns them on", async () => {
        const dev = committedPlan("dev");
        for (const type of ["azure-native:consumption:Budget", "azure-native:monitor:ActionGroup", "azure-native:monitor:MetricAlert"]) {
            assert.equal(byType(dev, type).length, 0, type);
        }
    });

    it("plan-diff calls a removed alert or budget dangerous, and a new month's budget start no change in Azure", async () => {
        const without = { ...prod, resources: prod.resources.filter((r) => r.name !== "openai-alerts-throttling" && r.name !== "budget-monthly") };
        assert.deepEqual(
            diffPlans(prod, without).map((c) => [c.severity, c.kind, c.resource]),
            [["danger", "monitoring-removed", "budget-monthly"], ["danger", "monitoring-removed", "openai-alerts-throttling"]],
        );
        const moved = JSON.parse(JSON.stringify(prod)) as Plan;
        (moved.resources.find((r) => r.name === "budget-monthly")!.inputs.timePeriod as { startDate: string }).startDate = "2027-01-01T00:00:00Z";
        // The program never moves an existing budget's start (ignoreChanges), so a new month's render is no change.
        assert.deepEqual(diffPlans(prod, moved).map((c) => [c.severity, c.kind, c.path]), [["info", "update", "timePeriod.startDate"]]);
    });
});

describe("diagnostics destinations", () => {
    it("streams to an event hub and archives to storage besides the workspace", async () => {
        const mon = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-mon/providers";
        const plan = await planOf([
            "--config-file",
            writeStackFile(minimalConfig({
                "aoai:diagnostics": {
                    eventHub: { authorizationRuleId: `${mon}/Microsoft.EventHub/namespaces/evhns-mon/authorizationRules/RootManageSharedAccessKey`, name: "aoai-diagnostics" },
                    storageAccountId: `${mon}/Microsoft.Storage/storageAccounts/stmonarchive`,
                },
            })),
        ]);
        const [setting] = byType(plan, "azure-native:monitor:DiagnosticSetting");
        assert.equal(setting.inputs.eventHubAuthorizationRuleId, `${mon}/Microsoft.EventHub/namespaces/evhns-mon/authorizationRules/RootManageSharedAccessKey`);
        assert.equal(setting.inputs.eventHubName, "aoai-diagnostics");
        assert.equal(setting.inputs.storageAccountId, `${mon}/Microsoft.Storage/storageAccounts/stmonarchive`);
        assert.match(String(setting.inputs.workspaceId), /\/workspaces\/log-demo-test$/, "the workspace stays");
    });
});

describe("secret settings", () => {
    const secretKeys = Object.entries(ConfigKeys).filter(([, spec]) => spec.secret).map(([key]) => key);
    const ciphertext = "v1:c2VjcmV0LWNpcGhlcnRleHQ=";

    it("are the webhook, so far", () => assert.deepEqual(secretKeys, ["alertWebhookUrl"]));

    for (const stack of stackNames()) {
        it(`${stack}: renders with every secret setting encrypted, showing [secret] and never the ciphertext`, async () => {
            const file = parse(readFileSync(stackFilePath(stack), "utf8")) as { config: Record<string, unknown> };
            file.config["aoai:alerts"] ??= alerts;
            for (const key of secretKeys) file.config[`aoai:${key}`] = { secure: ciphertext };
            const copy = path.join(mkdtempSync(path.join(tmpdir(), "secret-")), `Pulumi.${stack}.yaml`);
            writeFileSync(copy, stringify(file));
            // What the plan command prints for it, rendered in this process.
            const printed = await printPlans({ stacks: [{ config: parseStackFile(stack, readStackFile(copy)), file: copy }], format: "json", all: false, cwd: RepoRoot, today: new Date() });
            assert.doesNotMatch(printed, /c2VjcmV0LWNpcGhlcnRleHQ|offline-stand-in/);
            const [group] = byType(JSON.parse(printed) as Plan, "azure-native:monitor:ActionGroup");
            assert.equal(group.inputs.webhookReceivers, "[secret]");
        });
    }

    it("is refused in clear text, and a malformed one is named without its value", async () => {
        const clear = runPlan(["--config-file", writeStackFile(minimalConfig({ "aoai:alerts": alerts, "aoai:alertWebhookUrl": "https://hooks.example.com/t0ken" })), "--json"]);
        assert.equal(clear.code, 1);
        assert.match(clear.stderr, /aoai:alertWebhookUrl is a secret and is stored in clear text; store it encrypted: pulumi config set --secret aoai:alertWebhookUrl <value>/);
        assert.doesNotMatch(clear.stderr, /t0ken/);
        const raw = { location: "eastus", namePrefix: "demo", deployments: JSON.stringify(chat(5)), alerts: JSON.stringify(alerts), alertWebhookUrl: "http://hooks.example.com/t0ken" };
        assert.throws(() => parseStackConfig(raw, "dev"), (err: Error) => /aoai:alertWebhookUrl: is not an https URL/.test(err.message) && !err.message.includes("t0ken"));
    });
});
