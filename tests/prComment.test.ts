/**
 * The pull-request comment stays under GitHub's limit for any stack: prod's whole plan is about 90,000
 * characters, and a stack at Azure's limits far more. What is cut is named; nothing is cut silently.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "fs";
import * as path from "path";
import { parseStackConfig } from "../infra/config";
import { renderConfig } from "../tools/plan/offlinePlan";
import type { Plan } from "../tools/plan/planModel";
import { formatPlanMarkdown } from "../tools/plan/planText";
import { GitHubCommentLimit, composeComment } from "../tools/review/prComment";
import { RepoRoot } from "../tools/repo";

const prod = JSON.parse(readFileSync(path.join(RepoRoot, "tests", "snapshots", "prod.plan.json"), "utf8")) as Plan;
const prodMarkdown = formatPlanMarkdown(prod, "stacks/Pulumi.prod.yaml");
const smallDiff = "Plan diff base -> branch (stack prod)\nNo changes.\n";

describe("the pull-request comment", () => {
    it("keeps a small plan whole", () => {
        const markdown = "## Plan: stack `dev`\n\n```mermaid\nflowchart LR\n```\n\n<details><summary>Every resource and input</summary>\n\n```text\n+ x\n```\n\n</details>\n";
        assert.equal(composeComment({ stack: "dev", diff: smallDiff, planMarkdown: markdown }), `### Plan diff: dev\n\`\`\`\n${smallDiff.trimEnd()}\n\`\`\`\n${markdown}`);
    });

    it("fits prod under GitHub's limit with its summary and full diagrams, and names what it left out", () => {
        assert.ok(prodMarkdown.length > GitHubCommentLimit, `prod's plan is ${prodMarkdown.length} characters`);
        const comment = composeComment({ stack: "prod", diff: smallDiff, planMarkdown: prodMarkdown });
        assert.ok(comment.length <= GitHubCommentLimit, `${comment.length} characters`);
        assert.equal([...comment.matchAll(/```mermaid\nflowchart LR\n/g)].length, 2, "the summary, then the full diagram folded");
        assert.match(comment, /^<details><summary>Diagram of every resource<\/summary>$/m);
        assert.doesNotMatch(comment, /Every resource and input<\/summary>/);
        assert.match(comment, /_Every resource and input is left out to fit GitHub's 65,536-character limit on a comment: see the job summary of this run\._\n$/);
    });

    it("keeps the summary diagram when even the full one does not fit", () => {
        const summaryEnd = prodMarkdown.indexOf("<details>");
        const limit = summaryEnd + 2_000;
        const comment = composeComment({ stack: "prod", diff: smallDiff, planMarkdown: prodMarkdown }, limit);
        assert.ok(comment.length <= limit);
        assert.equal([...comment.matchAll(/```mermaid\n/g)].length, 1);
        assert.match(comment, /_The full diagram and every resource and input are left out/);
    });

    it("fits a stack at Azure's limits, and cuts a long diff by lines, saying how many", async () => {
        const deployments = Array.from({ length: 32 }, (_, i) => ({ name: `team-${i}-chat-completions-for-the-customer-support-assistant`, model: "gpt-4o-mini", version: "2099-07-18", sku: "Standard", capacity: 1 }));
        const config = parseStackConfig(
            { location: "eastus", namePrefix: "big", deployments: JSON.stringify(deployments), regions: JSON.stringify([{ location: "westus3" }, { location: "centralus" }, { location: "northcentralus" }]) },
            "big",
        );
        const markdown = formatPlanMarkdown(await renderConfig(config), "big");
        const diff = Array.from({ length: 5000 }, (_, i) => `INFO     update               team-${i}  sku.capacity: 1 -> 2`).join("\n");
        const comment = composeComment({ stack: "big", diff, planMarkdown: markdown });
        assert.ok(comment.length <= GitHubCommentLimit, `${comment.length} characters`);
        const kept = comment.split("\n").filter((l) => l.startsWith("INFO ")).length;
        assert.ok(kept > 100 && kept < 5000);
        assert.match(comment, new RegExp(`^\\.\\.\\. ${5000 - kept} more lines in the job summary of this run$`, "m"));
    });
});
