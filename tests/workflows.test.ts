/**
 * The pipeline workflows parse, trigger where they should, and refer only to npm scripts and paths
 * that exist in this repository (a renamed script or folder must not silently break CI).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "fs";
import * as path from "path";
import { parse } from "yaml";
import { reachability } from "../infra/network/reachability";
import { isComponent, runnerOf } from "../tools/plan/planModel";
import { RepoRoot, hubStackNames, stackNames } from "../tools/repo";
import { committedPlan } from "./helpers";

const dir = path.join(RepoRoot, ".github", "workflows");
const workflows = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith(".yml")).map((f) => [f, parse(readFileSync(path.join(dir, f), "utf8"))]));
const scripts = Object.keys(JSON.parse(readFileSync(path.join(RepoRoot, "package.json"), "utf8")).scripts);

/** Every string in the workflow, with the stack placeholders expanded for each stack. */
function strings(value: unknown): string[] {
    if (typeof value === "string") {
        return value.includes("${{ matrix.stack }}") || value.includes("${{ inputs.stack }}")
            ? [...stackNames(), ...hubStackNames()].map((s) => value.replaceAll("${{ matrix.stack }}", s).replaceAll("${{ inputs.stack }}", s))
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
        assert.deepEqual(workflow.jobs.preview.strategy.matrix.stack, [...stackNames(), ...hubStackNames()]);
        const preview = steps(workflow).find((s) => String(s.uses).startsWith("pulumi/actions@"));
        assert.equal(preview.with.command, "preview");
        assert.equal(preview.with.diff, true);
        assert.equal(preview.with["comment-on-pr"], true);
        assert.equal(preview.with.policyPacks, "${{ github.workspace }}/policy");
        assert.equal(preview.with.policyPackConfigs, "${{ github.workspace }}/policy/config/${{ matrix.stack }}.json");
        // The hub is its own project: previewed from hub/, as aoai-hub.
        const matrixed = (text: string, stack: string) => text.replaceAll("matrix.stack", "inputs.stack").replace(/\$\{\{.*?\}\}/g, (e: string) => String(evaluate(e, stack)));
        assert.equal(matrixed(preview.with["work-dir"], "hub"), "hub");
        assert.equal(matrixed(preview.with["stack-name"].replace("${{ vars.PULUMI_ORG }}/", ""), "hub"), "aoai-hub/hub");
        assert.equal(matrixed(preview.with["stack-name"].replace("${{ vars.PULUMI_ORG }}/", ""), "prod"), "aoai/prod");
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
        assert.deepEqual(workflows["deploy.yml"].on.workflow_dispatch.inputs.stack.options, [...stackNames(), ...hubStackNames()]);
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

/**
 * A GitHub expression of deploy.yml as it evaluates for one stack: `inputs.stack` set, `==`, `&&`,
 * `||` and `fromJSON` as GitHub defines them for these operands (strings compare equal, `&&` and `||`
 * return an operand).
 */
function evaluate(expression: string, stack: string): unknown {
    const body = /^\$\{\{(.*)\}\}$/s.exec(expression.trim())?.[1];
    assert.ok(body, `${expression} is one expression`);
    assert.match(body, /^[\s\w.'"()[\],=|&-]*$/, "only the operators this test knows");
    return new Function("inputs", "fromJSON", `return (${body});`)({ stack }, JSON.parse);
}

describe("deploy.yml and the network its runner sits in", () => {
    const workflow = workflows["deploy.yml"];
    const job = workflow.jobs.deploy;
    const hubRunner = ["self-hosted", "aoai-hub"];

    it("is one job: pulumi up and the probe of every account and gateway run on the same runner", () => {
        assert.deepEqual(Object.keys(workflow.jobs), ["deploy"]);
        const all = steps(workflow);
        assert.ok(all.some((s) => s.with?.command === "up") && all.some((s) => typeof s.run === "string" && s.run.includes("--project probe -- --outputs outputs.json")));
    });

    for (const stack of stackNames()) {
        it(`${stack}: runs where the plan shows an open path to every account and gateway`, () => {
            const plan = committedPlan(stack);
            const resources = plan.resources.filter((r) => !isComponent(r)).map((r) => ({ type: r.type, props: r.inputs }));
            const targets = resources.filter((r) => /cognitiveservices:Account$|ApiManagementService$/.test(r.type)).length;
            const paths = reachability(resources, runnerOf(plan));
            const fromInternet = paths.filter((p) => p.from === "internet" && p.state === "open");
            const fromRunner = paths.filter((p) => p.from.startsWith("runner ") && p.state === "open");
            const runsOn = evaluate(job["runs-on"], stack);
            if (fromInternet.length === targets) {
                assert.equal(runsOn, "ubuntu-latest", "a public stack needs no runner of ours");
            } else {
                assert.deepEqual(runsOn, hubRunner, "a private stack runs on the hub's runner");
                assert.equal(fromRunner.length, targets, `the runner reaches ${fromRunner.length} of ${targets} endpoints: ${paths.filter((p) => p.from.startsWith("runner ")).map((p) => p.how).join(" | ")}`);
            }
        });
    }

    it("deploys the hub from GitHub's runners, in its own project directory, and probes nothing there", () => {
        assert.equal(evaluate(job["runs-on"], "hub"), "ubuntu-latest", "the runner's own network cannot be deployed from inside it before it exists");
        assert.equal(evaluate(job.env.WORK_DIR, "hub"), "hub");
        const stackName = (stack: string) => job.env.STACK.replace("${{ vars.PULUMI_ORG }}/", "").replace(/\$\{\{.*?\}\}/g, (e: string) => String(evaluate(e, stack)));
        assert.equal(stackName("hub"), "aoai-hub/hub");
        assert.equal(stackName("prod"), "aoai/prod");
        const probe = steps(workflow).find((s) => typeof s.run === "string" && s.run.includes("--project probe"));
        assert.equal(probe.if, "inputs.stack != 'hub'");
        for (const up of steps(workflow).filter((s) => s.with?.command === "up")) {
            assert.equal(up.with["work-dir"], "${{ env.WORK_DIR }}");
            assert.equal(up.with.policyPacks, "${{ github.workspace }}/policy", "absolute: the CLI reads relative paths from work-dir");
        }
    });

    it("serializes the hub and every stack that peers with it: one write on the hub's network at a time", () => {
        const groups = [...stackNames(), ...hubStackNames()].map((stack) => [stack, evaluate(workflow.concurrency, stack)] as const);
        const peering = stackNames().filter((stack) => committedPlan(stack).resources.some((r) => r.type === "azure-native:network:VirtualNetworkPeering"));
        assert.ok(peering.includes("prod") && peering.includes("staging"));
        const hubGroup = groups.find(([stack]) => stack === "hub")![1];
        for (const [stack, group] of groups) assert.equal(group === hubGroup, stack === "hub" || peering.includes(stack), stack);
    });

    it("waits for role grants as long as Microsoft says they take: --settle 600", () => {
        const probe = steps(workflow).find((s) => typeof s.run === "string" && s.run.includes("--project probe"));
        assert.match(probe.run, /--settle 600\b/);
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
