/**
 * Runs the plan command in a process of its own, exactly as `npm run -s plan -- <args>` does (the
 * current Node, tsx), for the commands and tests that need its output or its timing.
 */
import { execFile, spawnSync } from "child_process";
import * as path from "path";
import { RepoRoot } from "../repo";

export interface CliResult {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** node --import tsx tools/plan/planCli.ts, with extra Node flags first (e.g. another --import). */
export function planCommand(args: string[], nodeFlags: string[] = []): [string, string[]] {
    return [process.execPath, ["--import", "tsx", ...nodeFlags, path.join(RepoRoot, "tools", "plan", "planCli.ts"), ...args]];
}

const Options = { cwd: RepoRoot, encoding: "utf8" as const, timeout: 120_000, maxBuffer: 256 * 1024 * 1024 };

export function runPlan(args: string[], nodeFlags: string[] = []): CliResult {
    const [command, argv] = planCommand(args, nodeFlags);
    const result = spawnSync(command, argv, Options);
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same without blocking the event loop, so several plans can run at once. */
export function runPlanAsync(args: string[], nodeFlags: string[] = []): Promise<CliResult> {
    const [command, argv] = planCommand(args, nodeFlags);
    return new Promise((resolve) => {
        execFile(command, argv, Options, (error, stdout, stderr) => resolve({ code: error ? ((error.code as number | undefined) ?? null) : 0, stdout, stderr }));
    });
}
