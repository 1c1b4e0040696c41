/**
 * The policy pack over the offline plan of each stack, with each stack's policy configuration: prod
 * passes every mandatory policy; dev only gets advisories; each deliberately weakened copy of prod
 * fails exactly the policies named on its first line.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { RepoRoot, policyConfigPath } from "../tools/repo";
import { stackList } from "../tools/stacks/route";
import { Violation, evaluatePolicies, readPolicyConfig } from "../tools/review/offlinePolicy";
import { renderPlan } from "../tools/plan/offlinePlan";
import { readStackFile } from "../tools/plan/stackFile";
import { committedPlan } from "./helpers";

function runPolicy(args: string[]): Promise<{ code: number | null; violations: Violation[]; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, ["--import", "tsx", path.join(RepoRoot, "tools", "review", "policyCli.ts"), ...args, "--json"], { cwd: RepoRoot, encoding: "utf8" }, (error, stdout, stderr) =>
            resolve({ code: error ? ((error.code as number) ?? null) : 0, violations: stdout ? (JSON.parse(stdout).violations as Violation[]) : [], stderr }),
        );
    });
}

/** The pack over a committed stack's plan with its own policy configuration, as the policy command evaluates it. */
const evaluateStack = (stack: string) => evaluatePolicies(committedPlan(stack), readPolicyConfig(path.join(RepoRoot, "policy", "config", `${stack}.json`)));

describe("policy pack on the stacks", () => {
    it("prod passes every policy, all of them mandatory there", async () => {
        assert.deepEqual(await evaluateStack("prod"), []);
        const config = JSON.parse(readFileSync(path.join(RepoRoot, "policy", "config", "prod.json"), "utf8"));
        assert.equal(config.all, "mandatory");
    });

    it("dev is advised, not blocked: public, keys on, no private endpoint", async () => {
        assert.deepEqual(
            (await evaluateStack("dev")).map((v) => [v.policy, v.enforcementLevel]).sort(),
            [
                ["openai-local-auth-disabled", "advisory"],
                ["openai-network-acl-deny", "advisory"],
                ["openai-private-endpoint", "advisory"],
            ],
        );
    });
});

const dir = path.join(__dirname, "fixtures", "weakened");
const weakened = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((file) => {
        const expected = /^# expect-policies: (.+)$/.exec(readFileSync(path.join(dir, file), "utf8").split("\n")[0])?.[1];
        if (!expected) throw new Error(`${file}: first line must be '# expect-policies: <names>'`);
        return { file, expected: expected.split(",").map((s) => s.trim()).sort() };
    });

describe("weakened prod stack files", () => {
    it("cover every policy the stack configuration can weaken", () => {
        const covered = new Set(weakened.flatMap((w) => w.expected));
        for (const policy of ["openai-public-network-disabled", "openai-network-acl-deny", "openai-local-auth-disabled", "openai-private-endpoint", "openai-diagnostics", "openai-deployment-pinned-version", "required-tags", "openai-data-residency", "openai-outbound-restricted", "openai-operations", "openai-customer-managed-key", "openai-content-filter-harm-categories", "openai-reachability", "foundry-projects", "openai-defender-for-ai", "gateway-team-limits", "security-benchmark"]) {
            assert.ok(covered.has(policy), `${policy} has no weakened fixture`);
        }
    });

    // In process: the same rendering and evaluation the policy command runs (its exit code is tested below).
    const prodPolicy = readPolicyConfig(path.join(RepoRoot, "policy", "config", "prod.json"));
    for (const { file, expected } of weakened) {
        it(`${file} fails ${expected.join(", ")}`, async () => {
            const violations = await evaluatePolicies(await renderPlan("prod", readStackFile(path.join(dir, file))), prodPolicy);
            assert.deepEqual([...new Set(violations.map((v) => v.policy))].sort(), expected);
            assert.ok(violations.every((v) => v.enforcementLevel === "mandatory"));
        });
    }

    it("the policy command exits 1 on a weakened stack, with the violations as JSON", async () => {
        const result = await runPolicy(["prod", "--config-file", path.join(dir, "keys-enabled.yaml")]);
        assert.equal(result.code, 1, result.stderr);
        assert.deepEqual([...new Set(result.violations.map((v) => v.policy))], weakened.find((w) => w.file === "keys-enabled.yaml")!.expected);
    });
});

describe("policy configuration fails closed", () => {
    const weakened = path.join(__dirname, "fixtures", "weakened", "keys-enabled.yaml");

    it("refuses to evaluate a prod-environment stack that has no policy configuration", async () => {
        // A copy of prod under another stack name, with keys turned on: before, every policy only advised and it exited 0.
        const copy = path.join(mkdtempSync(path.join(tmpdir(), "policy-")), "Pulumi.prod-copy.yaml");
        writeFileSync(copy, readFileSync(weakened, "utf8").replace("config:\n", "config:\n  aoai:environment: prod\n"));
        const result = await runPolicy(["prod-copy", "--config-file", copy]);
        assert.equal(result.code, 1);
        assert.deepEqual(result.violations, [], "nothing was evaluated, so nothing printed as passing");
        assert.match(result.stderr, /^policy: no policy\/config\/prod-copy\.json for stack prod-copy, whose environment is prod: every policy would only advise/m);
    });

    it("warns, and only advises, for another environment without one", async () => {
        const result = await runPolicy(["scratch", "--config-file", path.join(RepoRoot, "stacks", "Pulumi.dev.yaml")]);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stderr, /^policy: warning: no policy\/config\/scratch\.json; every policy is advisory for stack scratch$/m);
        assert.ok(result.violations.length > 0 && result.violations.every((v) => v.enforcementLevel === "advisory"));
    });

    it("refuses a --policy-config that does not exist, and a configuration naming a policy the pack lacks", async () => {
        const missing = await runPolicy(["prod", "--policy-config", "policy/config/prdo.json"]);
        assert.equal(missing.code, 2);
        assert.match(missing.stderr, /^policy: --policy-config policy\/config\/prdo\.json: no such file$/m);
        const typo = path.join(mkdtempSync(path.join(tmpdir(), "policy-")), "typo.json");
        writeFileSync(typo, JSON.stringify({ all: "mandatory", "openai-local-auth-disbled": "disabled" }));
        const result = await runPolicy(["prod", "--policy-config", typo]);
        assert.equal(result.code, 1);
        assert.match(result.stderr, /"openai-local-auth-disbled" is not a policy of this pack/);
        writeFileSync(typo, JSON.stringify({ all: "mandatroy" }));
        assert.match((await runPolicy(["prod", "--policy-config", typo])).stderr, /all: "mandatroy" is not an enforcement level/);
    });

    it("has a policy configuration for every stack, as the preview and deploy workflows need", () => {
        const missing = stackList().filter((stack) => !existsSync(policyConfigPath(stack))).map((stack) => `${stack}: ${path.relative(RepoRoot, policyConfigPath(stack))} is missing (npm run new-stack writes it; or copy another stack's)`);
        assert.deepEqual(missing, []);
    });
});
