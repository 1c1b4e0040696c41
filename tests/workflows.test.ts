/**
 * The pipeline workflows parse, trigger where they should, find the stacks in the repository rather
 * than in lists, refer only to npm scripts and paths that exist, and sign in only as docs/pipelines.md
 * says each job may: a pull request never holds an identity that can change Azure or the stacks.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "fs";
import * as path from "path";
import { parse } from "yaml";
import type { StackConfig } from "../infra/config";
import { loadStack, parseStackFile, readStackFile } from "../tools/plan/stackFile";
import { RepoRoot, hubStackNames, stackNames } from "../tools/repo";
import { HubRunner, projectOf, routeOf, stackList, stackRoute } from "../tools/stacks/route";
import { renderConfig } from "../tools/plan/offlinePlan";

const dir = path.join(RepoRoot, ".github", "workflows");
const workflows = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith(".yml")).map((f) => [f, parse(readFileSync(path.join(dir, f), "utf8"))]));
const scripts = Object.keys(JSON.parse(readFileSync(path.join(RepoRoot, "package.json"), "utf8")).scripts);

/** Every string in a value, with the stack placeholders expanded for each stack. */
function strings(value: unknown): string[] {
    if (typeof value === "string") {
        return /\$\{\{ (matrix|inputs|env)\.(stack|STACK_NAME) \}\}/.test(value)
            ? stackList().map((s) => value.replace(/\$\{\{ (matrix|inputs|env)\.(stack|STACK_NAME) \}\}/g, s))
            : [value];
    }
    if (Array.isArray(value)) return value.flatMap(strings);
    if (typeof value === "object" && value !== null) return Object.values(value).flatMap(strings);
    return [];
}

function steps(workflow: any): any[] {
    return Object.values(workflow.jobs as Record<string, any>).flatMap((job) => job.steps ?? []);
}

const jobsOf = (file: string): [string, any][] => Object.entries(workflows[file].jobs as Record<string, any>);
const runs = (all: any[], text: string) => all.findIndex((s) => typeof s.run === "string" && s.run.includes(text));

describe("workflows", () => {
    it("are the three the review flow needs, and the weekly lifecycle check", () => {
        assert.deepEqual(Object.keys(workflows).sort(), ["deploy.yml", "lifecycle.yml", "preview.yml", "test.yml"]);
    });

    it("lifecycle.yml runs weekly, preflights every stack in its own subscription, and keeps one labelled issue", () => {
        const workflow = workflows["lifecycle.yml"];
        assert.match(workflow.on.schedule[0].cron, /^\d+ \d+ \* \* [0-6]$/, "once a week");
        assert.equal(workflow.permissions.issues, "write");
        const all = steps(workflow);
        const preflight = all[runs(all, "--project preflight")];
        assert.match(preflight.run, /for file in stacks\/\*\.yaml/, "every stack, whatever they are called");
        assert.match(preflight.run, /npm run -s stacks -- --route "\$stack" \| jq -r --arg default "\$ARM_SUBSCRIPTION_ID" '\.subscriptionId \/\/ \$default'/, "the subscription the stack file pins, else the default");
        assert.match(preflight.run, /npm run -s plan -- "\$stack" --json --subscription-id "\$sub"/);
        assert.match(preflight.run, /\[ "\$code" -le 1 \]/, "a failed row still reports; a usage error stops");
        assert.match(preflight.run, /npm run -s lifecycle-report -- "\$\{reports\[@\]\}" > lifecycle\.md/);
        const issue = all[runs(all, "gh issue")];
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
                for (const [, ref] of text.matchAll(/(?:^|[\s="'}])\/?((?:\.ci|policy|tests|stacks|probe|tools|infra|hub)(?:\/[\w.-]+)*)/gm)) {
                    if (ref === "hub" || /\*/.test(ref)) continue;
                    // Paths read from another branch (git show) need only exist in this one too.
                    assert.ok(existsSync(path.join(RepoRoot, ref)), `${file}: ${ref} does not exist`);
                }
            }
        });

        it(`${file}: uses the Node 24 majors of its actions, and runs no install script`, () => {
            const node20 = /^(actions\/(checkout|setup-node|setup-dotnet)@v[1-4]|actions\/upload-artifact@v[1-5]|azure\/login@v[12])$/;
            for (const step of steps(workflow)) assert.doesNotMatch(String(step.uses ?? ""), node20, `${file}: ${step.uses}`);
            for (const step of steps(workflow)) {
                if (typeof step.run === "string" && /\bnpm ci\b/.test(step.run)) assert.match(step.run, /--ignore-scripts/, `${file}: ${step.run}`);
            }
        });
    }

    it("test.yml runs on pull requests what CI runs, which ends in the README's test command", () => {
        const workflow = workflows["test.yml"];
        assert.ok("pull_request" in workflow.on);
        assert.ok(steps(workflow).some((s) => s.run === "bash .ci/run"));
        assert.match(readFileSync(path.join(RepoRoot, ".ci", "run"), "utf8"), /^npm ci .*\n(?:.*\n)*npm test --silent(?: "\$\{test_args\[@\]\}")?\n$/m);
    });
});

describe("stacks come from the repository", () => {
    it("npm run stacks lists the environments, then the hubs", () => {
        assert.deepEqual(stackList(), [...stackNames(), ...hubStackNames()]);
    });

    for (const [file, job] of [["preview.yml", "preview"], ["test.yml", "plan-diff"]] as const) {
        it(`${file} ${job}: its matrix is that list`, () => {
            const workflow = workflows[file];
            assert.equal(workflow.jobs[job].strategy.matrix.stack, "${{ fromJSON(needs.stacks.outputs.list) }}");
            assert.deepEqual(workflow.jobs[job].needs, "stacks");
            assert.match(workflow.jobs.stacks.steps.at(-1).run, /^echo "list=\$\(npm run -s stacks\)" >> "\$GITHUB_OUTPUT"$/);
        });
    }

    it("deploy.yml takes any stack by name, and its route decides runner, project, directory and concurrency", () => {
        const workflow = workflows["deploy.yml"];
        assert.equal(workflow.on.workflow_dispatch.inputs.stack.type, "string");
        const route = workflow.jobs.route.steps.at(-1);
        assert.equal(route.env.STACK_INPUT, "${{ inputs.stack }}", "the input reaches the shell as a variable");
        assert.match(route.run, /npm run -s stacks -- --route "\$STACK_INPUT"/);
        const deploy = workflow.jobs.deploy;
        assert.equal(deploy["runs-on"], "${{ fromJSON(needs.route.outputs.route).runsOn }}");
        assert.equal(deploy.concurrency, "${{ fromJSON(needs.route.outputs.route).concurrency }}");
        assert.equal(deploy.environment, "${{ fromJSON(needs.route.outputs.route).stack }}");
        assert.equal(deploy.env.STACK, "${{ vars.PULUMI_ORG }}/${{ fromJSON(needs.route.outputs.route).project }}/${{ fromJSON(needs.route.outputs.route).stack }}");
        assert.equal(deploy.env.WORK_DIR, "${{ fromJSON(needs.route.outputs.route).workDir }}");
        assert.ok(!JSON.stringify(workflow).includes("inputs.stack }}\" ") && !steps(workflow).some((s) => typeof s.run === "string" && s.run.includes("${{ inputs.stack }}")), "no input in script text");
    });

    it("routes public stacks and the hub to GitHub's runners, private ones to the hub's runner with an open path", () => {
        assert.deepEqual(stackRoute("dev"), { stack: "dev", project: "aoai", workDir: ".", runsOn: "ubuntu-latest", concurrency: "deploy-dev" });
        for (const stack of ["staging", "prod"]) assert.deepEqual(stackRoute(stack), { stack, project: "aoai", workDir: ".", runsOn: HubRunner, concurrency: "deploy-hub-network" });
        assert.deepEqual(stackRoute("hub"), { stack: "hub", project: "aoai-hub", workDir: "hub", runsOn: "ubuntu-latest", concurrency: "deploy-hub-network" });
    });

    it("refuses to route a private stack the hub's runner cannot reach", async () => {
        const file = path.join(RepoRoot, "tests", "fixtures", "weakened", "own-dns-zones.yaml");
        const config: StackConfig = parseStackFile("prod", readStackFile(file));
        const plan = await renderConfig(config);
        assert.throws(() => routeOf({ stack: "prod", file, config }, plan), /prod has private endpoints, and its plan shows the hub's runner an open path to 0 of 3: join a hub/);
    });

    it("deploy.yml probes from the runner that ran pulumi up, in one job, and not for a hub", () => {
        const all = workflows["deploy.yml"].jobs.deploy.steps as any[];
        const probe = all[runs(all, "--project probe -- --outputs outputs.json")];
        assert.equal(probe.if, "env.WORK_DIR == '.'");
        assert.match(probe.run, /--settle 600\b/, "role grants take up to 10 minutes");
        for (const up of all.filter((s) => s.with?.command === "up")) {
            assert.equal(up.with["work-dir"], "${{ env.WORK_DIR }}");
            assert.equal(up.with.policyPacks, "${{ github.workspace }}/policy", "absolute: the CLI reads relative paths from work-dir");
        }
    });
});

/** The rows of docs/pipelines.md's identity table. */
function identityTable(): { workflow: string; job: string; environment: string; azure: string; pulumi: string; idToken: string }[] {
    const doc = readFileSync(path.join(RepoRoot, "docs", "pipelines.md"), "utf8");
    return doc
        .split("\n")
        .filter((line) => /^\| [\w-]+\.yml \|/.test(line))
        .map((line) => line.split("|").slice(1, -1).map((c) => c.trim()))
        .map(([workflow, job, environment, azure, pulumi, idToken]) => ({ workflow, job, environment, azure, pulumi, idToken }));
}

describe("identities (docs/pipelines.md)", () => {
    const table = identityTable();

    it("the table names every job of every workflow, once", () => {
        const jobs = Object.keys(workflows).flatMap((file) => jobsOf(file).map(([job]) => `${file} ${job}`));
        assert.deepEqual(table.map((r) => `${r.workflow} ${r.job}`).sort(), jobs.sort());
    });

    for (const row of table) {
        it(`${row.workflow} ${row.job}: signs in only as the table says`, () => {
            const job = workflows[row.workflow].jobs[row.job];
            const text = JSON.stringify(job);
            // GitHub environment
            assert.equal(job.environment === undefined, row.environment === "none", "environment");
            if (row.environment === "the stack's name") assert.equal(job.environment, "${{ fromJSON(needs.route.outputs.route).stack }}");
            // Azure identity
            const azure = [...new Set([...text.matchAll(/vars\.(AZURE_\w*CLIENT_ID)/g)].map((m) => m[1]))];
            assert.deepEqual(azure, row.azure === "none" ? [] : [/`(\w+)`/.exec(row.azure)![1]], "Azure identity");
            // Pulumi token: only by OIDC, for the team named
            const teams = (job.steps ?? []).filter((s: any) => String(s.uses).startsWith("pulumi/auth-actions@")).map((s: any) => s.with.scope);
            assert.deepEqual(teams, row.pulumi === "none" ? [] : [`team:${/`([\w-]+)`/.exec(row.pulumi)![1]}`], "Pulumi token");
            // OIDC token
            const idToken = (job.permissions ?? workflows[row.workflow].permissions)?.["id-token"] === "write";
            assert.equal(idToken, row.idToken === "yes", "id-token");
        });
    }

    it("holds no stored Pulumi or cloud credential anywhere", () => {
        for (const [file, workflow] of Object.entries(workflows)) {
            assert.doesNotMatch(JSON.stringify(workflow), /PULUMI_ACCESS_TOKEN|secrets\.(AZURE|ARM)_/, file);
        }
    });

    it("asks for tokens only after npm ci, so install scripts never see one", () => {
        for (const file of Object.keys(workflows)) {
            for (const [, job] of jobsOf(file)) {
                const all = (job.steps ?? []) as any[];
                const install = runs(all, "npm ci");
                const firstToken = all.findIndex((s) => /^(azure\/login|pulumi\/auth-actions)@/.test(String(s.uses)));
                if (firstToken >= 0) assert.ok(install >= 0 && install < firstToken, `${file}: a token before npm ci`);
            }
        }
    });

    it("gives a pull request no way to the deploy identity: previews read, and a fork is told why it has none", () => {
        const preview = workflows["preview.yml"];
        assert.doesNotMatch(JSON.stringify(preview), /vars\.AZURE_CLIENT_ID\b/);
        assert.equal(preview.permissions["id-token"], undefined, "only the preview job may ask for a token");
        assert.equal(preview.jobs.preview.if, "github.event.pull_request.head.repo.full_name == github.repository");
        assert.equal(preview.jobs.fork.if, "github.event.pull_request.head.repo.full_name != github.repository");
        assert.match(preview.jobs.fork.steps[0].run, /::notice /);
        assert.deepEqual(preview.concurrency, { group: "preview-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
    });
});

describe("deploy.yml, step by step", () => {
    const all = workflows["deploy.yml"].jobs.deploy.steps as any[];

    it("preflights, deploys, probes, then refreshes and expects a second preview to change nothing", () => {
        const up = all.findIndex((s) => s.with?.command === "up");
        const probe = runs(all, "dotnet run --project probe -- --outputs");
        const again = all.findIndex((s) => s.with?.command === "preview" && s.with?.["expect-no-changes"] === true);
        assert.ok(up >= 0 && probe > up && again > probe, "up, then probe, then an idempotency preview");
        assert.equal(all[again].with.refresh, true, "Azure as it is now, not as the state last saw it");
        const preflight = runs(all, "dotnet run --project preflight -- --plan plan.json");
        assert.ok(preflight >= 0 && preflight < up, "preflight runs before pulumi up");
        assert.match(all[preflight].run, /npm run -s plan -- "\$STACK_NAME" --json --subscription-id "\$ARM_SUBSCRIPTION_ID" > plan\.json/);
        // Registering providers writes to the subscription: only when the person deploying asks.
        assert.equal(workflows["deploy.yml"].on.workflow_dispatch.inputs["register-providers"].default, false);
        assert.equal(all[preflight].env.REGISTER, "${{ inputs.register-providers && '--register' || '' }}");
    });

    it("runs pulumi up a second time, before the probe, while a private gateway waits to be closed", () => {
        const read = runs(all, "pulumi stack output gatewayPrivateAccessPending");
        const ups = all.map((s, i) => (s.with?.command === "up" ? i : -1)).filter((i) => i >= 0);
        const probe = runs(all, "--project probe");
        assert.equal(ups.length, 2);
        assert.ok(ups[0] < read && read < ups[1] && ups[1] < probe);
        assert.equal(all[ups[1]].if, `steps.${all[read].id}.outputs.pending == 'true'`);
        assert.match(all[read].run, />> "\$GITHUB_OUTPUT"/);
    });

    it("logs in again right before the probe, since a long pulumi up outlives the first token", () => {
        const lastUp = all.map((s, i) => (s.with?.command === "up" ? i : -1)).filter((i) => i >= 0).pop()!;
        const probe = runs(all, "--project probe");
        const logins = all.map((s, i) => (String(s.uses).startsWith("azure/login@") ? i : -1)).filter((i) => i >= 0);
        assert.ok(logins.some((i) => i > lastUp && i < probe), "a login between the last pulumi up and the probe");
    });

    it("signs in to the subscription the stack file pins, else the environment's", () => {
        assert.equal(workflows["deploy.yml"].jobs.deploy.env.ARM_SUBSCRIPTION_ID, "${{ fromJSON(needs.route.outputs.route).subscriptionId || vars.AZURE_SUBSCRIPTION_ID }}");
        for (const login of all.filter((s) => String(s.uses).startsWith("azure/login@"))) assert.equal(login.with["subscription-id"], "${{ env.ARM_SUBSCRIPTION_ID }}");
        assert.equal(loadStack("dev").subscriptionId, undefined, "the committed stacks pin none");
    });
});

describe("what the workflows show reviewers", () => {
    it("preview.yml previews each stack with the policy pack from its own project, and comments the plan with its diff", () => {
        const workflow = workflows["preview.yml"];
        const preview = steps(workflow).find((s) => String(s.uses).startsWith("pulumi/actions@"));
        assert.equal(preview.with.command, "preview");
        assert.equal(preview.with.diff, true);
        assert.equal(preview.with["comment-on-pr"], true);
        assert.equal(preview.with.policyPacks, "${{ github.workspace }}/policy");
        assert.equal(preview.with.policyPackConfigs, "${{ github.workspace }}/policy/config/${{ matrix.stack }}.json");
        assert.equal(preview.with["work-dir"], "${{ fromJSON(steps.project.outputs.project).workDir }}");
        assert.equal(preview.with["stack-name"], "${{ vars.PULUMI_ORG }}/${{ fromJSON(steps.project.outputs.project).project }}/${{ matrix.stack }}");
        assert.deepEqual(["dev", "hub"].map(projectOf), [{ stack: "dev", project: "aoai", workDir: "." }, { stack: "hub", project: "aoai-hub", workDir: "hub" }]);
        assert.equal(workflow.jobs.preview.permissions["pull-requests"], "write");
        const all = steps(workflow);
        const render = all[runs(all, "--markdown")];
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
