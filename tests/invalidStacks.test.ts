/**
 * Every file in fixtures/invalid is a stack file with one mistake; its first line names the key the
 * error must point at. Each is validated in process, exactly as the plan command does before it loads
 * the SDK, and the message the command would print names that key on a line of its own. One fixture
 * goes through the real command, for the process's own contract: exit 1, the problem on stderr, and
 * nothing at all on stdout (no partial plan).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../infra/config";
import { renderPlan } from "../tools/plan/offlinePlan";
import { parseStackFile, readStackFile } from "../tools/plan/stackFile";
import { runPlanAsync } from "../tools/plan/planProcess";

const dir = path.join(__dirname, "fixtures", "invalid");
const fixtures = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((file) => {
        const full = path.join(dir, file);
        const expectLine = readFileSync(full, "utf8").split("\n")[0];
        const key = /^# expect: (\S+)$/.exec(expectLine)?.[1];
        if (!key) throw new Error(`${file}: first line must be '# expect: <key>'`);
        return { file, full, key };
    });

describe("invalid stack files", () => {
    it("cover at least 15 distinct mistakes", () => {
        assert.ok(fixtures.length >= 15, `only ${fixtures.length} fixtures`);
        assert.ok(new Set(fixtures.map((f) => f.key)).size >= 15, "fixtures must point at at least 15 different keys");
    });

    it("are rejected before the Pulumi runtime is touched", async (t) => {
        // Setting up the (mock) runtime is the first thing a render does; here it must never happen.
        const setMocks = t.mock.method(pulumi.runtime, "setMocks");
        for (const { file, full, key } of fixtures) {
            await assert.rejects(
                renderPlan("invalid", readStackFile(full)),
                (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.startsWith(`${key}: `)),
                `${file} must be rejected with a problem for ${key}`,
            );
        }
        assert.equal(setMocks.mock.callCount(), 0, "no mock runtime was set up, so nothing was registered");
    });
});

const linePattern = (key: string) => new RegExp(`^  - ${key.replace(/[[\].]/g, "\\$&")}: `, "m");

describe("the message for each invalid stack file", () => {
    for (const { file, full, key } of fixtures) {
        it(`${file}: names ${key} on a line of its own`, () => {
            assert.throws(
                () => parseStackFile("invalid", readStackFile(full)),
                (err: unknown) => err instanceof ConfigError && linePattern(key).test(err.message),
            );
        });
    }
});

describe("plan command on an invalid stack file", () => {
    it("exits 1, names the key on stderr, prints no plan", async () => {
        const { full, key } = fixtures.find((f) => f.file === "gateway-cannot-reach-private-accounts.yaml")!;
        const result = await runPlanAsync(["--config-file", full, "--json"]);
        assert.equal(result.code, 1, result.stderr);
        assert.equal(result.stdout, "", "nothing on stdout");
        assert.match(result.stderr, linePattern(key));
        assert.match(result.stderr, new RegExp(`^plan: ${full.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\nInvalid stack configuration`, "m"));
    });
});
