/**
 * The committed plan snapshots: tests/snapshots/<stack>.plan.json and .plan.txt for every stack in
 * stacks/ and hub/. A pull request that changes what a stack declares changes these files, so reviewers see
 * the desired-state diff in the pull request itself. `npm run snapshots` (snapshotsCli.ts) rewrites them.
 */
import * as path from "path";
import { formatStacks, renderStacks } from "../plan/planOutput";
import { RepoRoot } from "../repo";
import { loadStack } from "../plan/stackFile";

export const SnapshotDir = path.join(RepoRoot, "tests", "snapshots");

export function snapshotFiles(stack: string): { json: string; text: string } {
    return { json: path.join(SnapshotDir, `${stack}.plan.json`), text: path.join(SnapshotDir, `${stack}.plan.txt`) };
}

/** The day snapshots are rendered as of, so a budget's start (the month of the create) does not move them. */
export const SnapshotDay = "2026-12-05";

/**
 * Renders a stack once and prints it exactly as `npm run -s plan -- <stack> --today <SnapshotDay>
 * [--json]` prints it from the repository root, in this process (planOutput.ts is what the command
 * prints through).
 */
export async function renderSnapshot(stack: string): Promise<{ json: string; text: string }> {
    const today = new Date(`${SnapshotDay}T00:00:00Z`);
    const rendered = await renderStacks({ stacks: [loadStack(stack, today)], all: false, cwd: RepoRoot, today });
    return { json: formatStacks(rendered, "json", false), text: formatStacks(rendered, "text", false) };
}
