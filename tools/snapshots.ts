/**
 * The committed plan snapshots: tests/snapshots/<stack>.plan.json and .plan.txt for every stack in
 * stacks/. A pull request that changes what a stack declares changes these files, so reviewers see
 * the desired-state diff in the pull request itself. `npm run snapshots` rewrites them.
 */
import { spawnSync } from "child_process";
import { readdirSync, writeFileSync } from "fs";
import * as path from "path";
import { RepoRoot } from "./stackFile";

export const SnapshotDir = path.join(RepoRoot, "tests", "snapshots");

export function stackNames(): string[] {
    return readdirSync(path.join(RepoRoot, "stacks"))
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

export function snapshotFiles(stack: string): { json: string; text: string } {
    return { json: path.join(SnapshotDir, `${stack}.plan.json`), text: path.join(SnapshotDir, `${stack}.plan.txt`) };
}

/** Renders a stack exactly as `npm run -s plan -- <stack> [--json]` prints it. */
export function renderSnapshot(stack: string, format: "json" | "text"): string {
    const result = spawnSync(process.execPath, ["--import", "tsx", path.join(RepoRoot, "tools", "plan.ts"), stack, ...(format === "json" ? ["--json"] : [])], {
        cwd: RepoRoot,
        encoding: "utf8",
    });
    if (result.status !== 0) {
        throw new Error(`plan ${stack} exited ${result.status}:\n${result.stderr}`);
    }
    return result.stdout;
}

if (require.main === module) {
    for (const stack of stackNames()) {
        const files = snapshotFiles(stack);
        writeFileSync(files.json, renderSnapshot(stack, "json"));
        writeFileSync(files.text, renderSnapshot(stack, "text"));
        process.stdout.write(`wrote ${path.relative(RepoRoot, files.json)} and ${path.relative(RepoRoot, files.text)}\n`);
    }
}
