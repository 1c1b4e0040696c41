/**
 * What callers see leads the plan diff: a new name prefix on prod is a new endpoint for every client
 * within the diff's first ten lines, its resources are renamed (not a region leaving the pool), and
 * the pull-request comment keeps every consequence and warning when the details do not fit.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { consequencesOf } from "../tools/diff/consequences";
import { diffPlans, formatChanges } from "../tools/diff/planDiff";
import { renderConfig } from "../tools/plan/offlinePlan";
import type { Plan } from "../tools/plan/planModel";
import { formatPlanMarkdown } from "../tools/plan/planText";
import { parseStackFile, readStackFile } from "../tools/plan/stackFile";
import { stackFilePath } from "../tools/repo";
import { GitHubCommentLimit, composeComment } from "../tools/review/prComment";
import { SnapshotDay } from "../tools/review/snapshots";
import { committedPlan } from "./helpers";

const today = new Date(`${SnapshotDay}T00:00:00Z`);

/** Prod with its stack file edited as text, rendered as the snapshot is. */
async function prodWith(edit: (text: string) => string): Promise<Plan> {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "consequences-")), "Pulumi.prod.yaml");
    writeFileSync(file, edit(readFileSync(stackFilePath("prod"), "utf8")));
    return renderConfig(parseStackFile("prod", readStackFile(file), today));
}

const diffText = (before: Plan, after: Plan) => {
    const changes = diffPlans(before, after, today);
    return formatChanges(changes, "before -> after", consequencesOf(before, after, changes));
};

describe("consequences of a new name prefix on prod", () => {
    let renamed: Plan;
    let text: string;
    before(async () => {
        renamed = await prodWith((t) => t.replace("aoai:namePrefix: contoso", "aoai:namePrefix: fabrikam").replace(/(- name: chat\n\s+model: gpt-5\.5\n\s+version: "[^"]+"\n\s+sku: DataZoneStandard\n\s+capacity: )100/, "$180"));
        text = diffText(committedPlan("prod"), renamed);
    });

    it("leads with the endpoint every client must change, in the first ten lines", () => {
        const head = text.split("\n").slice(0, 10);
        assert.equal(head[1], "What callers see:");
        assert.ok(head.some((l) => /^ {2}DANGER {3}the Azure OpenAI endpoint changes: https:\/\/contoso-prod-[0-9a-f]{8}\.openai\.azure\.com\/ -> https:\/\/fabrikam-prod-[0-9a-f]{8}\.openai\.azure\.com\/; every client's configuration must change$/.test(l)), head.join("\n"));
        assert.ok(head.some((l) => /the gateway's endpoint changes/.test(l)));
        assert.ok(head.some((l) => /deployment\(s\) .*openai-deployment-chat.* are created anew/.test(l)));
    });

    it("says the capacity that goes down, and names renames as renames", () => {
        assert.match(text, /^ {2}WARNING {2}capacity of openai-deployment-chat goes down 100 -> 80: less throughput, more 429s$/m);
        assert.match(text, /^DANGER {3}replace {14}openai-account \(Account\): renamed oai-contoso-prod -> oai-fabrikam-prod \(Azure creates the new one and deletes the old\)$/m);
        assert.doesNotMatch(text, /left the gateway's pool/, "both regions are still there, renamed");
        assert.match(text, /pool\.services: the pool's backends are renamed/);
    });

    it("lists each resource once, its property changes beneath it", () => {
        const heads = text.split("\n").filter((l) => /^(DANGER|WARNING|INFO) /.test(l)).map((l) => /^\S+\s+\S+\s+(\S+)/.exec(l)![1]);
        assert.equal(new Set(heads).size, heads.length);
        assert.ok(text.split("\n").findIndex((l) => l.startsWith("DANGER   replace              openai-account ")) < text.split("\n").findIndex((l) => / access-/.test(l)), "accounts before role assignments");
    });

    it("keeps every consequence and warning in a pull-request comment that cannot hold the details", () => {
        assert.ok(text.length > 32_768, "the diff alone is over the half of a comment it may take");
        const comment = composeComment({ stack: "prod", diff: text, planMarkdown: formatPlanMarkdown(renamed, "stacks/Pulumi.prod.yaml", [], today) });
        assert.ok(comment.length <= GitHubCommentLimit, `${comment.length}`);
        for (const line of text.split("\n").filter((l) => /^ {2}(DANGER|WARNING) /.test(l) || /^(DANGER|WARNING) /.test(l))) assert.ok(comment.includes(line), line);
        assert.match(comment, /capacity of openai-deployment-chat goes down 100 -> 80/);
        assert.match(comment, /^\.\.\. \d+ more lines in the job summary of this run$/m);
    });
});

describe("reachability as a consequence", () => {
    it("opening prod's account to the internet is dangerous", async () => {
        const open = await prodWith((t) => t.replace("    publicNetworkAccess: Disabled\n    defaultAction: Deny\n    bypass: None", "    publicNetworkAccess: Enabled\n    defaultAction: Allow\n    bypass: None"));
        const opened = consequencesOf(committedPlan("prod"), open, diffPlans(committedPlan("prod"), open, today));
        assert.ok(opened.some((c) => c.severity === "danger" && /^internet -> account oai-contoso-prod: closed -> open$/.test(c.what)), JSON.stringify(opened));
    });

    it("says nothing a caller sees changes when nothing does", () => {
        assert.match(diffText(committedPlan("prod"), committedPlan("prod")), /^What callers see:\n {2}nothing a caller sees changes\nNo changes\.$/m);
    });
});
