/**
 * What the plan command line promises: the stack is parsed once per process, `--all` and `--markdown`
 * render what the single-stack JSON says, placeholders are marked, and the project's Node is named.
 * (pipes.test.ts: `--help` and output larger than a pipe's buffer.)
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "fs";
import * as path from "path";
import { ProjectNodeMajor, nodeVersionWarning } from "../tools/cli";
import type { Plan } from "../tools/plan/planModel";
import { runPlan } from "../tools/plan/planProcess";
import { RepoRoot, hubStackNames, stackFilePath, stackNames } from "../tools/repo";
import { SnapshotDay } from "../tools/review/snapshots";
import { printPlans } from "../tools/plan/planOutput";
import { parseStackFile, readStackFile } from "../tools/plan/stackFile";
import { committedPlan, committedText, minimalConfig, writeStackFile } from "./helpers";

const counter = ["--import", path.join(__dirname, "countConfigParses.ts")];
const parsesOf = (stderr: string) => Number(/^config parses: (\d+)$/m.exec(stderr)?.[1]);

describe("one parse per stack, --all and --markdown", () => {
    it("plan --all parses each stack once, in one process, and prints each stack's own plan in stack order, the hub's last", () => {
        const result = runPlan(["--all", "--json", "--today", SnapshotDay], counter);
        assert.equal(result.code, 0, result.stderr);
        assert.equal(parsesOf(result.stderr), stackNames().length);
        const all = JSON.parse(result.stdout) as Plan[];
        assert.deepEqual(all.map((p) => p.stack), [...stackNames(), ...hubStackNames()]);
        // The snapshot test holds each committed plan equal to its stack rendered alone.
        for (const plan of all) assert.deepEqual(plan, committedPlan(plan.stack), `${plan.stack} renders the same alone`);
    });

    it("plan <stack> --markdown parses the stack once and holds the diagram and every input of the plan", () => {
        const result = runPlan(["prod", "--markdown"], counter);
        assert.equal(result.code, 0, result.stderr);
        assert.equal(parsesOf(result.stderr), 1);
        assert.match(result.stdout, /^## Plan: stack `prod`$/m);
        assert.match(result.stdout, /^```mermaid\nflowchart LR\n/m);
        assert.match(result.stdout, /subgraph g0s0\["subnet snet-private-endpoints"\]/, "the private endpoint sits in its subnet");
        assert.match(result.stdout, /^ {4}r\d+ -->\|"open: from subnet snet-apim-outbound \(outbound integration\); pr\.\.\."\| r\d+$/m, "the gateway's path to an account");
        assert.match(result.stdout, /\|"Entra ID: Cognitive Services OpenAI User"\| endpoint$/m);
        assert.doesNotMatch(result.stdout, /"open: public/, "prod has no public path");
        assert.match(result.stdout, /^ {4}x0 --x\|"closed: public network access disabled"\| r\d+$/m, "the internet's closed paths are drawn");
        assert.match(result.stdout, /^ +properties\.publicNetworkAccess = "Disabled"$/m);
    });

    it("refuses --all with a stack, and --json with --markdown", () => {
        assert.equal(runPlan(["--all", "dev"]).stderr.split("\n")[0], "plan: --all renders every stack in stacks/; leave out <stack> and --config-file");
        assert.equal(runPlan(["dev", "--json", "--markdown"]).stderr.split("\n")[0], "plan: --json and --markdown exclude each other");
    });
});

describe("placeholders and the real subscription", () => {
    const subscription = "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b";

    it("marks every stand-in value in the readable plan", () => {
        const text = committedText("dev");
        assert.match(text, /^ +# placeholder below: stand-in subscription; render with --subscription-id <guid>\n +scope = "\/subscriptions\/00000000-0000-0000-0000-000000000000\/.*"$/m);
        assert.match(text, /^ +# placeholder below: derived from the stand-in subscription.*\n +endpoint = "https:\/\/contoso-dev-[0-9a-f]{8}\.openai\.azure\.com\/"$/m);
        assert.match(text, /^ +# placeholder below: the identity that runs pulumi up\n +principalId = "00000000-0000-0000-0000-0000000000bb"$/m);
    });

    it("--subscription-id renders real ids and subdomain, and drops their marks", async () => {
        // In this process, as the plan command prints it (planOutput.ts).
        const config = parseStackFile("prod", readStackFile(stackFilePath("prod")));
        const print = (format: "json" | "text") => printPlans({ stacks: [{ config, file: stackFilePath("prod") }], format, all: false, subscriptionId: subscription, cwd: RepoRoot, today: new Date() });
        const plan = JSON.parse(await print("json")) as Plan;
        const text = JSON.stringify(plan);
        assert.ok(!text.includes("00000000-0000-0000-0000-000000000000"), "no placeholder subscription left");
        assert.match(String(plan.outputs.accountId), new RegExp(`^/subscriptions/${subscription}/`));
        assert.notEqual(plan.outputs.customSubdomain, committedPlan("prod").outputs.customSubdomain, "the subdomain is derived from the subscription");
        const marks = (await print("text")).match(/# placeholder below: .*$/gm) ?? [];
        // What only exists after `pulumi up` stays marked whatever the subscription.
        assert.deepEqual([...new Set(marks)], [
            "# placeholder below: the identity that runs pulumi up",
            "# placeholder below: the user-assigned identity's principal id, known after pulumi up",
            "# placeholder below: the user-assigned identity's client id, known after pulumi up",
            "# placeholder below: the key version Key Vault assigns, known after pulumi up",
            "# placeholder below: project support-assistant's own identity, known after pulumi up",
            "# placeholder below: the gateway's managed identity, known after pulumi up",
            "# placeholder below: the first of the month of the pulumi up that creates the budget; Azure keeps that start afterwards",
        ]);
    });

    it("refuses a --subscription-id that is not a real GUID", () => {
        for (const bad of ["0000", "00000000-0000-0000-0000-000000000000"]) {
            const result = runPlan(["dev", "--subscription-id", bad]);
            assert.equal(result.code, 2);
            assert.match(result.stderr, /^plan: --subscription-id /);
        }
    });

    it("takes the stack name from --stack with --config-file", () => {
        const plan = JSON.parse(runPlan(["--config-file", writeStackFile(minimalConfig(), "whatever"), "--stack", "qa", "--json"]).stdout) as Plan;
        assert.equal(plan.stack, "qa");
        assert.equal(runPlan(["dev", "--stack", "prod"]).stderr, "plan: two stack names: dev and --stack prod; give one\n", "one line, naming both");
    });
});

describe("the project's Node", () => {
    it("is named when a command runs on another, as after npm ci --ignore-scripts", () => {
        assert.match(nodeVersionWarning("20.20.2") ?? "", /^running on Node 20\.20\.2, not the project's Node 22: .*run npm ci again without --ignore-scripts$/);
        assert.equal(nodeVersionWarning(process.versions.node), undefined, "the tests themselves run on the project's Node");
        const pinned = JSON.parse(readFileSync(path.join(RepoRoot, "package.json"), "utf8")).devDependencies.node as string;
        assert.equal(Number(pinned.split(".")[0]), ProjectNodeMajor);
    });
});
