/**
 * Every command through real pipes: `--help` answers, and output larger than a pipe's buffer arrives
 * whole (a process that exits before its stdout drains cuts it at 64 KiB).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "child_process";
import { writeFileSync } from "fs";
import * as path from "path";
import type { Plan } from "../tools/plan/planModel";
import { runPlanAsync } from "../tools/plan/planProcess";
import { RepoRoot } from "../tools/repo";
import { minimalConfig, writeStackFile } from "./helpers";

/** Runs a tools/ command through pipes, as a shell pipeline would, with no limit on what it prints. */
function tool(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, ["--import", "tsx", path.join(RepoRoot, "tools", script), ...args], { cwd: RepoRoot, encoding: "utf8", maxBuffer: 1 << 30, timeout: 120_000 }, (error, stdout, stderr) =>
            resolve({ code: error ? ((error.code as number | undefined) ?? null) : 0, stdout, stderr }),
        );
    });
}

describe("--help", () => {
    for (const [script, first] of [
        ["plan/planCli.ts", "usage: npm run -s plan -- <stack>"],
        ["review/policyCli.ts", "usage: npm run -s policy -- <stack>"],
        ["diff/planDiffCli.ts", "usage: npm run -s plan-diff -- <old-plan.json> <new-plan.json>"],
        ["review/snapshotsCli.ts", "usage: npm run snapshots"],
        ["bench/benchCli.ts", "usage: npm run bench"],
    ]) {
        it(`${script} prints its usage and exits 0`, async () => {
            const result = await tool(script, ["--help"]);
            assert.equal(result.code, 0, result.stderr);
            assert.ok(result.stdout.startsWith(first), result.stdout);
            assert.equal(result.stderr, "");
        });
    }
});

describe("output larger than a pipe buffer", () => {
    // As many deployments as Azure allows an account, with long names and the long cost-allocation tags
    // real teams write: every command's output outgrows a 64 KiB pipe buffer several times over.
    const deployments = Array.from({ length: 32 }, (_, i) => ({ name: `team-${i}-chat-completions-for-the-customer-support-assistant`, model: "gpt-4o-mini", version: "2099-07-18", sku: "Standard", capacity: 1 }));
    const tags = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`cost-allocation-dimension-${i}`, `value-for-the-finance-team-report-${i}-`.padEnd(200, "x")]));
    const big = writeStackFile(minimalConfig({ "aoai:deployments": deployments, "aoai:tags": tags }), "big");
    let bigJson: Promise<{ code: number | null; stdout: string; stderr: string }> | undefined;
    const renderBig = () => (bigJson ??= runPlanAsync(["--config-file", big, "--json"]));

    it("plan --json, the text form and --markdown arrive whole", async () => {
        const json = await renderBig();
        assert.equal(json.code, 0, json.stderr);
        assert.ok(json.stdout.length > 128 * 1024, `${json.stdout.length} bytes is not larger than the 128 KiB that came through before`);
        const plan = JSON.parse(json.stdout) as Plan;
        assert.equal(plan.resources.filter((r) => r.type === "azure-native:cognitiveservices:Deployment").length, 32);
        for (const format of [[], ["--markdown"]]) {
            const text = await runPlanAsync(["--config-file", big, ...format]);
            assert.equal(text.code, 0, text.stderr);
            assert.ok(text.stdout.length > 128 * 1024);
            assert.match(text.stdout, format.length ? /<\/details>\n$/ : / === endpoint\n$/, "ends where the renderer ends");
        }
    });

    it("policy --json and plan-diff --json arrive whole", async () => {
        const dir = path.dirname(big);
        // Many required tags: every taggable resource then carries a long violation.
        const policyConfig = path.join(dir, "many-tags.json");
        const required = Array.from({ length: 150 }, (_, i) => `required-tag-number-${i}-for-the-finance-and-security-review`);
        writeFileSync(policyConfig, JSON.stringify({ all: "mandatory", "required-tags": { tags: required } }));
        const policy = await tool("review/policyCli.ts", ["big", "--config-file", big, "--policy-config", policyConfig, "--json"]);
        assert.equal(policy.code, 1, policy.stderr);
        assert.ok(policy.stdout.length > 128 * 1024, `${policy.stdout.length} bytes`);
        const after = (await renderBig()).stdout;
        const taggable = (JSON.parse(after) as Plan).resources.filter((r) => "tags" in r.inputs).length;
        assert.equal(JSON.parse(policy.stdout).violations.filter((v: { policy: string }) => v.policy === "required-tags").length, taggable, "one per taggable resource");

        const before = JSON.parse(after) as Plan;
        for (const r of before.resources.filter((x) => x.type === "azure-native:cognitiveservices:Deployment")) {
            // No version change: its severity follows the calendar (a retiring version is dangerous).
            Object.assign(r.inputs.sku as object, { capacity: 2 });
            for (const key of Object.keys(tags)) (r.inputs.tags as Record<string, string>)[key] = "an older value";
        }
        writeFileSync(path.join(dir, "before.plan.json"), JSON.stringify(before));
        writeFileSync(path.join(dir, "after.plan.json"), after);
        const diff = await tool("diff/planDiffCli.ts", [path.join(dir, "before.plan.json"), path.join(dir, "after.plan.json"), "--json"]);
        assert.equal(diff.code, 0, diff.stderr);
        assert.ok(diff.stdout.length > 128 * 1024, `${diff.stdout.length} bytes`);
        assert.equal(JSON.parse(diff.stdout).changes.length, 32 * (1 + 40), "capacity and every tag on each deployment");
    });
});
