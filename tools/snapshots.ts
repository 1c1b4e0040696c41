/**
 * The committed plan snapshots: tests/snapshots/<stack>.plan.json and .plan.txt for every stack in
 * stacks/. A pull request that changes what a stack declares changes these files, so reviewers see
 * the desired-state diff in the pull request itself. `npm run snapshots` rewrites them.
 */
import { writeFileSync } from "fs";
import * as path from "path";
import { CommandError, ExitCode, out, parseCommandLine, runCommand } from "./cli";
import { runPlan } from "./planProcess";
import { RepoRoot, stackNames } from "./repo";

export const SnapshotDir = path.join(RepoRoot, "tests", "snapshots");

export function snapshotFiles(stack: string): { json: string; text: string } {
    return { json: path.join(SnapshotDir, `${stack}.plan.json`), text: path.join(SnapshotDir, `${stack}.plan.txt`) };
}

/** Renders a stack exactly as `npm run -s plan -- <stack> [--json]` prints it. */
export function renderSnapshot(stack: string, format: "json" | "text"): string {
    const result = runPlan([stack, ...(format === "json" ? ["--json"] : [])]);
    if (result.code !== 0) {
        throw new CommandError(`plan ${stack} exited ${result.code}:\n${result.stderr}`);
    }
    return result.stdout;
}

const Usage = "usage: npm run snapshots    rewrite tests/snapshots/<stack>.plan.json and .plan.txt for every stack";

if (require.main === module) {
    runCommand("snapshots", Usage, async (argv) => {
        if (parseCommandLine(argv, {}, 0).help) {
            await out(`${Usage}\n`);
            return ExitCode.Ok;
        }
        for (const stack of stackNames()) {
            const files = snapshotFiles(stack);
            writeFileSync(files.json, renderSnapshot(stack, "json"));
            writeFileSync(files.text, renderSnapshot(stack, "text"));
            await out(`wrote ${path.relative(RepoRoot, files.json)} and ${path.relative(RepoRoot, files.text)}\n`);
        }
        return ExitCode.Ok;
    });
}
