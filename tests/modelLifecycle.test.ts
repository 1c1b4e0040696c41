/**
 * Model versions go stale without anyone touching a stack: the offline plan refuses a retired one,
 * warns about one retiring within 90 days or closed to new customers, shows every deployment's date,
 * and plan-diff names the dates of a version change. The clock is fixed in every test.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, parseStackConfig } from "../infra/config";
import { describeLifecycle, lifecycleOf } from "../infra/deployments/modelLifecycle";
import type { Plan } from "../tools/plan/planModel";
import { lifecycleReport } from "../tools/review/lifecycleReport";
import { diffPlans } from "../tools/diff/planDiff";
import { runPlan } from "../tools/plan/planProcess";
import { SnapshotDay } from "../tools/review/snapshots";
import { parseStackFile, readStackFile } from "../tools/plan/stackFile";
import { stackFilePath, stackNames } from "../tools/repo";
import { committedPlan, committedText, minimalConfig, writeStackFile } from "./helpers";

const day = (d: string) => new Date(`${d}T00:00:00Z`);
const parseOn = (today: string, model: string, version: string) =>
    parseStackConfig({ location: "eastus2", namePrefix: "demo", deployments: JSON.stringify([{ name: "chat", model, version, sku: "GlobalStandard", capacity: 5 }]) }, "test", [], day(today));

describe("model lifecycle", () => {
    it("refuses a retired version, naming the key, the date and Microsoft's replacement", () => {
        assert.throws(() => parseOn("2026-12-05", "gpt-4o", "2024-05-13"), (err: unknown) =>
            err instanceof ConfigError && err.problems.length === 1 && /^aoai:deployments\[0\]\.version: "2024-05-13" of gpt-4o retired on 2026-10-01 .*replacement gpt-5\.1/.test(err.problems[0].replace("names gpt-5.1 as its replacement", "replacement gpt-5.1")));
    });

    it("counts the days: current, retiring within 90 days, then retired the day it retires", () => {
        assert.equal(lifecycleOf("gpt-5.4", "2026-03-05", day("2026-12-05")).kind, "current");
        assert.deepEqual(lifecycleOf("gpt-5.4", "2026-03-05", day("2027-06-04")), { kind: "retiring", lifecycle: "GA", retirement: "2027-09-02", days: 90 });
        assert.equal(lifecycleOf("gpt-5.4", "2026-03-05", day("2027-06-03")).kind, "current", "91 days ahead is not yet a warning");
        assert.doesNotThrow(() => parseOn("2027-09-01", "gpt-5.4", "2026-03-05"));
        assert.throws(() => parseOn("2027-09-02", "gpt-5.4", "2026-03-05"), ConfigError);
    });

    it("warns about a deprecated version and says it could not check an unknown one, without refusing either", () => {
        assert.match(describeLifecycle("gpt-4o-mini", "2024-07-18", day("2026-12-05")), /^gpt-4o-mini 2024-07-18: WARNING deprecated \(no new customers\), retires on 2027-04-14$/);
        assert.match(describeLifecycle("gpt-9", "2030-01-01", day("2026-12-05")), /not in infra\/deployments\/data\/modelLifecycle\.json, so not checked offline; the preflight reads its dates from Azure$/);
        assert.doesNotThrow(() => parseOn("2026-12-05", "gpt-9", "2030-01-01"));
    });

    it("the plan command renders a deprecated version and one that needs registration, with a warning on stderr naming each deployment", () => {
        const deprecated = [
            { name: "chat", model: "gpt-4o-mini", version: "2024-07-18", sku: "GlobalStandard", capacity: 5 },
            { name: "big", model: "gpt-5.4", version: "2026-03-05", sku: "GlobalStandard", capacity: 5 },
        ];
        const result = runPlan(["--config-file", writeStackFile(minimalConfig({ "aoai:deployments": deprecated }), "warned"), "--json", "--today", "2026-12-05"]);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stderr, /^plan: warning: warned: deployments\[0\] chat: gpt-4o-mini 2024-07-18: WARNING deprecated \(no new customers\), retires on 2027-04-14$/m);
        assert.match(result.stderr, /^plan: warning: warned: deployments\[1\] big: gpt-5\.4 2026-03-05 needs registration: only subscriptions Microsoft approved can deploy it \(https:\/\/aka\.ms\/oai\/gpt5access\)$/m);
        assert.match(result.stderr, /^plan: warning: warned: deployments\[1\] big: gpt-5\.4 2026-03-05 closes on 2027-03-05, in 90 days, to subscriptions that never deployed it$/m);
    });

    it("the readable plan shows each deployment's retirement", () => {
        assert.match(committedText("prod"), /^Model lifecycle, as of 2026-12-05:\n {4}chat: gpt-5\.5 2026-04-24: GA, retires on 2027-10-26\n {4}chat-mini: gpt-5\.4-mini 2026-03-17: GA, retires on 2027-09-21$/m);
    });

    it("no committed stack uses a version retired or retiring within 180 days of the snapshots' day", () => {
        for (const stack of stackNames()) {
            for (const d of parseStackFile(stack, readStackFile(stackFilePath(stack)), day(SnapshotDay)).deployments) {
                const l = lifecycleOf(d.model, d.version, day(SnapshotDay));
                assert.ok(l.kind === "current" && l.days > 180, `${stack}: ${d.name} ${d.model} ${d.version}: ${JSON.stringify(l)}`);
            }
        }
    });

    it("plan-diff names both dates of a version change, and calls moving to a retired version dangerous", () => {
        const prod = committedPlan("prod");
        const moved = (version: string) => {
            const plan = structuredClone(prod) as Plan;
            const chat = plan.resources.find((r) => r.name === "openai-deployment-chat")!;
            ((chat.inputs.properties as { model: { version: string } }).model).version = version;
            return diffPlans(prod, plan, day("2026-12-05")).filter((c) => c.path === "properties.model.version");
        };
        const [newer] = moved("2026-09-01");
        assert.equal(newer.severity, "warning");
        assert.equal(newer.message, 'model version "2026-04-24" (retires 2027-10-26) -> "2026-09-01" (retirement unknown offline): callers get another model\'s behaviour');
        const [unknown] = moved("2024-05-13");
        assert.equal(unknown.severity, "warning", "gpt-5.5 2024-05-13 is not in the data: unknown is not dangerous offline");
        // Moving to a version inside the warning window is dangerous.
        const toGpt5 = structuredClone(prod) as Plan;
        const c5 = toGpt5.resources.find((r) => r.name === "openai-deployment-chat-mini")!;
        (c5.inputs.properties as { model: { version: string } }).model.version = "2025-08-07";
        (c5.inputs.properties as { model: { name: string } }).model.name = "gpt-5-mini";
        const [danger] = diffPlans(prod, toGpt5, day("2027-01-01")).filter((c) => c.path === "properties.model.version");
        assert.equal(danger.severity, "danger");
        assert.match(danger.message, /-> "2025-08-07" \(retires 2027-02-09\): retiring within the warning window, pick a current version$/);
    });
});

describe("model lifecycle rows the preflight writes from ARM", () => {
    const rows = [
        { model: "gpt-x", version: "1", lifecycle: "GenerallyAvailable", retirement: null },
        { model: "gpt-y", version: "1", lifecycle: "Deprecating", retirement: "2027-06-01", replacement: "gpt-x 1" },
        { model: "gpt-z", version: "1", lifecycle: "GenerallyAvailable", retirement: "2026-11-30" },
        { model: "gpt-s", version: "1", lifecycle: "GenerallyAvailable", retirement: "2027-09-01", skus: { Standard: "2027-01-15", GlobalStandard: null } },
    ];

    it("read the same: no date is current, Deprecating is deprecated, a past date is retired", () => {
        assert.equal(lifecycleOf("gpt-x", "1", day("2026-12-05"), undefined, rows).kind, "current");
        assert.deepEqual(lifecycleOf("gpt-y", "1", day("2026-12-05"), undefined, rows), { kind: "deprecated", lifecycle: "Deprecating", retirement: "2027-06-01", days: 178, replacement: "gpt-x 1" });
        assert.equal(lifecycleOf("gpt-z", "1", day("2026-12-05"), undefined, rows).kind, "retired");
    });

    it("count a SKU's own earlier date for a deployment of that SKU", () => {
        assert.deepEqual(lifecycleOf("gpt-s", "1", day("2026-12-05"), "Standard", rows), { kind: "retiring", lifecycle: "GenerallyAvailable", retirement: "2027-01-15", days: 41 });
        assert.deepEqual(lifecycleOf("gpt-s", "1", day("2026-12-05"), "GlobalStandard", rows), { kind: "current", lifecycle: "GenerallyAvailable", retirement: "2027-09-01", days: 270 });
    });
});

describe("the weekly lifecycle issue", () => {
    const report = (checks: { check: string; subject: string; location: string; verdict: string; detail: string; fix?: string }[]) => ({ subscriptionId: "s", checks });

    it("lists every retiring or retired deployment with its region, date and fix, and nothing else", () => {
        const body = lifecycleReport([
            { stack: "prod", report: report([
                { check: "lifecycle", subject: "chat", location: "westus3", verdict: "model-retiring", detail: "gpt-5.4 2026-03-05 (DataZoneStandard) retires on 2027-09-02, in 40 days", fix: "move to gpt-5.5 2026-04-24, which Azure lists as the replacement before 2027-09-02" },
                { check: "lifecycle", subject: "chat-mini", location: "westus3", verdict: "ok", detail: "retires on 2027-09-21, in 250 days" },
                { check: "quota", subject: "chat", location: "westus3", verdict: "quota-exceeded", detail: "needs 50" },
            ]) },
            { stack: "dev", report: report([{ check: "lifecycle", subject: "chat", location: "eastus", verdict: "model-retired", detail: "gpt-4o 2024-05-13 (GlobalStandard) retired on 2026-10-01", fix: "move to gpt-5.1 (deployments[].version)" }]) },
        ], 90);
        const rows = body.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| Stack") );
        assert.deepEqual(rows, [
            "| prod | chat | westus3 | model-retiring | gpt-5.4 2026-03-05 (DataZoneStandard) retires on 2027-09-02, in 40 days | move to gpt-5.5 2026-04-24, which Azure lists as the replacement before 2027-09-02 |",
            "| dev | chat | eastus | model-retired | gpt-4o 2024-05-13 (GlobalStandard) retired on 2026-10-01 | move to gpt-5.1 (deployments[].version) |",
        ]);
    });

    it("says when nothing retires, so the issue stays current", () => {
        assert.match(lifecycleReport([{ stack: "prod", report: report([]) }], 90), /^No deployment of prod retires within 90 days\.$/m);
    });
});
