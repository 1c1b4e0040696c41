/**
 * The policy pack over the offline plan of each stack, with each stack's policy configuration: prod
 * passes every mandatory policy; dev only gets advisories; each deliberately weakened copy of prod
 * fails exactly the policies named on its first line.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "child_process";
import { readFileSync, readdirSync } from "fs";
import * as path from "path";
import { RepoRoot } from "../tools/repo";
import type { Violation } from "../tools/offlinePolicy";

function runPolicy(args: string[]): Promise<{ code: number | null; violations: Violation[]; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, ["--import", "tsx", path.join(RepoRoot, "tools", "policyCli.ts"), ...args, "--json"], { cwd: RepoRoot, encoding: "utf8" }, (error, stdout, stderr) =>
            resolve({ code: error ? ((error.code as number) ?? null) : 0, violations: stdout ? (JSON.parse(stdout).violations as Violation[]) : [], stderr }),
        );
    });
}

describe("policy pack on the stacks", { concurrency: 2 }, () => {
    it("prod passes every policy, all of them mandatory there", async () => {
        const result = await runPolicy(["prod"]);
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(result.violations, []);
        const config = JSON.parse(readFileSync(path.join(RepoRoot, "policy", "config", "prod.json"), "utf8"));
        assert.equal(config.all, "mandatory");
    });

    it("dev is advised, not blocked: public, keys on, no private endpoint", async () => {
        const result = await runPolicy(["dev"]);
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(
            result.violations.map((v) => [v.policy, v.enforcementLevel]).sort(),
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

describe("weakened prod stack files", { concurrency: 3 }, () => {
    it("cover every policy the stack configuration can weaken", () => {
        const covered = new Set(weakened.flatMap((w) => w.expected));
        for (const policy of ["openai-public-network-disabled", "openai-network-acl-deny", "openai-local-auth-disabled", "openai-private-endpoint", "openai-diagnostics", "openai-deployment-pinned-version", "required-tags"]) {
            assert.ok(covered.has(policy), `${policy} has no weakened fixture`);
        }
    });

    for (const { file, expected } of weakened) {
        it(`${file} fails ${expected.join(", ")}`, async () => {
            const result = await runPolicy(["prod", "--config-file", path.join(dir, file)]);
            assert.equal(result.code, 1, result.stderr);
            assert.deepEqual([...new Set(result.violations.map((v) => v.policy))].sort(), expected);
            assert.ok(result.violations.every((v) => v.enforcementLevel === "mandatory"));
        });
    }
});
