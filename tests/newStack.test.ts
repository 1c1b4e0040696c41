/**
 * npm run new-stack: a stack name need not be an environment name, and a copy that would clash with a
 * stack (its name, its Azure names, its files) is refused before anything is written to stacks/.
 * (Adding team-a with it and running npm test with no other edit passed: see docs/pipelines.md.)
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "fs";
import * as path from "path";
import { UsageError } from "../tools/cli";
import { RepoRoot } from "../tools/repo";
import { createStack, environmentFor } from "../tools/stacks/newStack";

const stacksNow = () => readdirSync(path.join(RepoRoot, "stacks")).sort();

describe("new-stack", () => {
    it("derives an environment from a name that is not one, and keeps a name that is", () => {
        assert.equal(environmentFor("teama"), undefined);
        assert.equal(environmentFor("team-a"), "teama");
        assert.equal(environmentFor("Team_A.2"), "teama2");
        assert.equal(environmentFor("customer-support-eu"), "customersu", "cut to the 10 characters an environment may hold");
        assert.throws(() => environmentFor("2024"), (err: unknown) => err instanceof UsageError && /pass --environment <name>/.test(err.message));
    });

    it("refuses, writing nothing, a name taken, a template that is not a stack, a bad environment, or another stack's Azure names", async () => {
        const before = stacksNow();
        const cases: [Parameters<typeof createStack>[0], RegExp][] = [
            [{ stack: "prod", from: "dev" }, /there is a stack named prod already/],
            [{ stack: "hub", from: "dev" }, /there is a stack named hub already/],
            [{ stack: "team-a", from: "qa" }, /--from qa: no stacks\/Pulumi\.qa\.yaml to start from; choose one of dev, prod, staging/],
            [{ stack: "team-a", from: "dev", environment: "Team-A" }, /--environment Team-A: 1-10 lowercase letters or digits/],
            [{ stack: "team-a", from: "prod", environment: "prod" }, /team-a would have prod's Azure names \(the same namePrefix and environment\); pass --environment <another>/],
        ];
        for (const [request, message] of cases) {
            await assert.rejects(createStack(request), (err: unknown) => err instanceof UsageError && message.test(err.message), JSON.stringify(request));
        }
        assert.deepEqual(stacksNow(), before);
    });
});
