/**
 * The pipeline workflows parse, trigger where they should, and refer only to npm scripts and paths
 * that exist in this repository (a renamed script or folder must not silently break CI).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "fs";
import * as path from "path";
import { parse } from "yaml";
import { RepoRoot, stackNames } from "../tools/repo";

const dir = path.join(RepoRoot, ".github", "workflows");
const workflows = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith(".yml")).map((f) => [f, parse(readFileSync(path.join(dir, f), "utf8"))]));
const scripts = Object.keys(JSON.parse(readFileSync(path.join(RepoRoot, "package.json"), "utf8")).scripts);

/** Every string in the workflow, with the stack placeholders expanded for each stack. */
function strings(value: unknown): string[] {
    if (typeof value === "string") {
        return value.includes("${{ matrix.stack }}") || value.includes("${{ inputs.stack }}")
            ? stackNames().map((s) => value.replaceAll("${{ matrix.stack }}", s).replaceAll("${{ inputs.stack }}", s))
            : [value];
    }
    if (Array.isArray(value)) return value.flatMap(strings);
    if (typeof value === "object" && value !== null) return Object.values(value).flatMap(strings);
    return [];
}

function steps(workflow: any): any[] {
    return Object.values(workflow.jobs as Record<string, any>).flatMap((job) => job.steps);
}

describe("workflows", () => {
    it("are the three the review flow needs, and the weekly lifecycle check", () => {
        assert.deepEqual(Object.keys(workflows).sort(), ["deploy.yml", "lifecycle.yml", "preview.yml", "test.yml"]);
    });

    it("lifecycle.yml runs weekly, preflights every stack file, and keeps one labelled issue", () => {
        const workflow = workflows["lifecycle.yml"];
        assert.match(workflow.on.schedule[0].cron, /^\d+ \d+ \* \* [0-6]$/, "once a week");
        assert.equal(workflow.permissions.issues, "write");
        const all = steps(workflow);
        const preflight = all.find((s) => typeof s.run === "string" && s.run.includes("--project preflight"));
        assert.match(preflight.run, /for file in stacks\/\*\.yaml/, "every stack, whatever they are called");
        assert.match(preflight.run, /npm run -s plan -- "\$stack" --json --subscription-id "\$ARM_SUBSCRIPTION_ID"/);
        assert.match(preflight.run, /\[ "\$code" -le 1 \]/, "a failed row still reports; a usage error stops");
        assert.match(preflight.run, /npm run -s lifecycle-report -- "\$\{reports\[@\]\}" > lifecycle\.md/);
        const issue = all.find((s) => typeof s.run === "string" && s.run.includes("gh issue"));
        assert.match(issue.run, /gh issue list --label model-lifecycle --state open/);
        assert.match(issue.run, /gh issue edit "\$number" --body-file lifecycle\.md/);
        assert.match(issue.run, /gh issue create .*--label model-lifecycle --body-file lifecycle\.md/);
    });

    for (const [file, workflow] of Object.entries(workflows)) {
        it(`${file}: parses into named jobs with steps`, () => {
            assert.equal(typeof workflow.name, "string");
            assert.ok(workflow.on, "has triggers");
            for (const step of steps(workflow)) {
                assert.ok(step.uses || step.run, `${file}: every step uses an action or runs a command`);
            }
        });

        it(`${file}: every npm script and repository path it names exists`, () => {
            for (const text of strings(workflow)) {
                for (const [, script] of text.matchAll(/npm run (?:-s )?([\w:-]+)/g)) {
                    assert.ok(scripts.includes(script), `${file}: npm run ${script} is not in package.json`);
                }
                if (/\bnpm test\b/.test(text)) assert.ok(scripts.includes("test"));
                for (const [, ref] of text.matchAll(/(?:^|[\s="'])((?:\.ci|policy|tests|stacks|probe|tools|infra)(?:\/[\w.-]+)*)/gm)) {
                    // Paths read from another branch (git show) need only exist in this one too.
                    assert.ok(existsSync(path.join(RepoRoot, ref)), `${file}: ${ref} does not exist`);
                }
            }
        });
    }

    it("test.yml runs on pull requests what CI runs, which ends in the README's test command", () => {
        const workflow = workflows["test.yml"];
        assert.ok("pull_request" in workflow.on);
        assert.ok(steps(workflow).some((s) => s.run === "bash .ci/run"));
        assert.match(readFileSync(path.join(RepoRoot, ".ci", "run"), "utf8"), /^npm ci .*\n(?:.*\n)*npm test --silent\n$/m);
    });

    it("preview.yml previews every stack with the policy pack and its stack's policy config, and comments", () => {
        const workflow = workflows["preview.yml"];
        assert.ok("pull_request" in workflow.on);
        assert.deepEqual(workflow.jobs.preview.strategy.matrix.stack, stackNames());
        const preview = steps(workflow).find((s) => String(s.uses).startsWith("pulumi/actions@"));
        assert.equal(preview.with.command, "preview");
        assert.equal(preview.with.diff, true);
        assert.equal(preview.with["comment-on-pr"], true);
        assert.equal(preview.with.policyPacks, "policy");
        assert.equal(preview.with.policyPackConfigs, "policy/config/${{ matrix.stack }}.json");
        assert.equal(workflow.permissions["pull-requests"], "write");
    });

    it("deploy.yml deploys, probes, then expects a second preview to change nothing", () => {
        const all = steps(workflows["deploy.yml"]);
        const up = all.findIndex((s) => s.with?.command === "up");
        const probe = all.findIndex((s) => typeof s.run === "string" && s.run.includes("dotnet run --project probe -- --outputs"));
        const again = all.findIndex((s) => s.with?.command === "preview" && s.with?.["expect-no-changes"] === true);
        assert.ok(up >= 0 && probe > up && again > probe, "up, then probe, then an idempotency preview");
        const preflight = all.findIndex((s) => typeof s.run === "string" && s.run.includes("dotnet run --project preflight -- --plan plan.json"));
        assert.ok(preflight >= 0 && preflight < up, "preflight runs before pulumi up");
        assert.match(all[preflight].run, /npm run -s plan -- \$\{\{ inputs\.stack \}\} --json --subscription-id "\$ARM_SUBSCRIPTION_ID" > plan\.json/);
        assert.deepEqual(workflows["deploy.yml"].on.workflow_dispatch.inputs.stack.options, stackNames());
        // Registering providers writes to the subscription: only when the person deploying asks.
        assert.equal(workflows["deploy.yml"].on.workflow_dispatch.inputs["register-providers"].default, false);
        assert.match(all[preflight].run, /\$\{\{ inputs\.register-providers && '--register' \|\| '' \}\}/);
    });

    it("deploy.yml runs pulumi up a second time, before the probe, while a private gateway waits to be closed", () => {
        const all = steps(workflows["deploy.yml"]);
        const read = all.findIndex((s) => typeof s.run === "string" && s.run.includes("pulumi stack output gatewayPrivateAccessPending"));
        const ups = all.map((s, i) => (s.with?.command === "up" ? i : -1)).filter((i) => i >= 0);
        const probe = all.findIndex((s) => typeof s.run === "string" && s.run.includes("--project probe"));
        assert.equal(ups.length, 2);
        assert.ok(ups[0] < read && read < ups[1] && ups[1] < probe);
        assert.equal(all[ups[1]].if, `steps.${all[read].id}.outputs.pending == 'true'`);
        assert.match(all[read].run, />> "\$GITHUB_OUTPUT"/);
    });

    it("deploy.yml logs in again right before the probe, since a long pulumi up outlives the first token", () => {
        const all = steps(workflows["deploy.yml"]);
        const lastUp = all.map((s, i) => (s.with?.command === "up" ? i : -1)).filter((i) => i >= 0).pop()!;
        const probe = all.findIndex((s) => typeof s.run === "string" && s.run.includes("--project probe"));
        const logins = all.map((s, i) => (String(s.uses).startsWith("azure/login@") ? i : -1)).filter((i) => i >= 0);
        assert.ok(logins.some((i) => i > lastUp && i < probe), "a login between the last pulumi up and the probe");
    });
});

describe("what the workflows show reviewers", () => {
    it("preview.yml posts each stack's plan as Markdown with its plan diff", () => {
        const all = steps(workflows["preview.yml"]);
        const render = all.find((s) => typeof s.run === "string" && s.run.includes("--markdown"));
        assert.ok(render, "a step renders the plan as Markdown");
        assert.match(render.run, /npm run -s plan-diff -- base\.plan\.json branch\.plan\.json/);
        assert.match(render.run, />> "\$GITHUB_STEP_SUMMARY"/);
        const comment = all.find((s) => String(s.uses).startsWith("marocchino/sticky-pull-request-comment@"));
        assert.equal(comment?.with.path, "plan-comment.md");
    });

    it("deploy.yml writes the probe's Markdown table to the job summary", () => {
        const probe = steps(workflows["deploy.yml"]).find((s) => typeof s.run === "string" && s.run.includes("--project probe"));
        assert.match(probe.run, /--summary "\$GITHUB_STEP_SUMMARY"/);
    });
});
