/**
 * npm run bench [-- <runs>]: renders each stack's plan several times, each in a fresh process as
 * `npm run -s plan -- <stack> --json` does, and prints the median wall time per stack.
 * Target: under 2 s per stack on a 2-core machine.
 */
import { spawnSync } from "child_process";
import { readdirSync } from "fs";
import * as path from "path";
import { RepoRoot } from "./repo";

const runs = Number(process.argv[2] ?? 7);
const targetMs = 2000;
const stacks = readdirSync(path.join(RepoRoot, "stacks"))
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

let slow = false;
process.stdout.write(`Plan render time, ${runs} runs per stack (fresh process each)\n`);
for (const stack of stacks) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
        const start = process.hrtime.bigint();
        const result = spawnSync(process.execPath, ["--import", "tsx", path.join(RepoRoot, "tools", "plan.ts"), stack, "--json"], { cwd: RepoRoot, encoding: "utf8" });
        if (result.status !== 0) {
            process.stderr.write(result.stderr);
            process.exit(1);
        }
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const m = median(times);
    slow ||= m > targetMs;
    process.stdout.write(`${stack.padEnd(10)} median ${m.toFixed(0)} ms  (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}; target < ${targetMs} ms)\n`);
}
process.exit(slow ? 1 : 0);
