/**
 * The committed plan snapshots: tests/snapshots/<stack>.plan.json and .plan.txt for every stack in
 * stacks/. A pull request that changes what a stack declares changes these files, so reviewers see
 * the desired-state diff in the pull request itself. `npm run snapshots` (snapshotsCli.ts) rewrites them.
 */
import * as path from "path";
import { CommandError } from "./cli";
import { runPlan } from "./planProcess";
import { RepoRoot } from "./repo";

export const SnapshotDir = path.join(RepoRoot, "tests", "snapshots");

export function snapshotFiles(stack: string): { json: string; text: string } {
    return { json: path.join(SnapshotDir, `${stack}.plan.json`), text: path.join(SnapshotDir, `${stack}.plan.txt`) };
}

/** The day snapshots are rendered as of, so a budget's start (the month of the create) does not move them. */
export const SnapshotDay = "2026-12-05";

/** Renders a stack exactly as `npm run -s plan -- <stack> --today <SnapshotDay> [--json]` prints it. */
export function renderSnapshot(stack: string, format: "json" | "text"): string {
    const result = runPlan([stack, "--today", SnapshotDay, ...(format === "json" ? ["--json"] : [])]);
    if (result.code !== 0) {
        throw new CommandError(`plan ${stack} exited ${result.code}:\n${result.stderr}`);
    }
    return result.stdout;
}
