/**
 * npm test [-- --no-build]: type-check, run the TypeScript suites (node:test) and the C# suites
 * (dotnet test on Infra.sln; with --no-build, as built), then print one closing line "N passed,
 * N failed" summing both. Exits non-zero when anything failed or a suite could not run.
 */
import { spawn } from "child_process";
import { readdirSync } from "fs";
import * as path from "path";
import { RepoRoot } from "./repo";

interface SuiteResult {
    name: string;
    passed: number;
    failed: number;
    ran: boolean;
}

/** Runs a command with its output shown live, and returns what it printed. */
function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
        const child = spawn(command, args, { cwd: RepoRoot, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => {
            output += chunk;
            process.stdout.write(chunk);
        });
        child.stderr.on("data", (chunk: Buffer) => {
            output += chunk;
            process.stderr.write(chunk);
        });
        child.on("error", (err) => resolve({ code: 127, output: output + String(err) }));
        child.on("close", (code) => resolve({ code: code ?? 1, output }));
    });
}

function count(output: string, pattern: RegExp): number | undefined {
    const matches = [...output.matchAll(pattern)];
    return matches.length ? matches.reduce((sum, m) => sum + Number(m[1]), 0) : undefined;
}

/**
 * The TypeScript files in two processes, every file of a half in one process (the SDK and the program
 * load once a half instead of once a file). Within a process files run one after another, since
 * renders share the SDK's mock runtime; the two halves and the C# suite share the two cores.
 * fastTestProcess.ts gives each process the plan command's start-up savings; renderOffThread.ts sends
 * its offline renders to a worker thread, out of reach of node:test's async hook. Tests restore what they
 * change and keep their hooks inside a describe (a convention test holds that).
 */
/**
 * Seconds each slow file took alone, start-up aside (measured 2026-12-07, renders off the test
 * thread); every other file counts one. Only the balance of the halves depends on them: a stale figure
 * costs time, never a test.
 */
const SlowFiles: Record<string, number> = {
    "policyOnPlans.test.ts": 11, "commands.test.ts": 10, "pipes.test.ts": 7, "planCli.test.ts": 6, "firstDeploy.test.ts": 4,
    "operations.test.ts": 2, "reachability.test.ts": 2, "consequences.test.ts": 2, "moves.test.ts": 2, "snapshots.test.ts": 2, "foundry.test.ts": 2,
    "encryption.test.ts": 2, "spokes.test.ts": 2, "prComment.test.ts": 2, "workflows.test.ts": 2, "hub.test.ts": 2,
};

/** Two halves of about equal time: the slowest file first into the lighter half (longest-first). */
function halves(files: string[]): [string[], string[]] {
    const weight = (f: string) => SlowFiles[path.basename(f)] ?? 1;
    const result: [string[], string[]] = [[], []];
    const load = [0, 0];
    for (const file of [...files].sort((a, b) => weight(b) - weight(a) || a.localeCompare(b))) {
        const lighter = load[0] <= load[1] ? 0 : 1;
        result[lighter].push(file);
        load[lighter] += weight(file);
    }
    return result;
}

async function typeScript(): Promise<SuiteResult> {
    const files = readdirSync(path.join(RepoRoot, "tests"))
        .filter((f) => f.endsWith(".test.ts"))
        .sort()
        .map((f) => path.join("tests", f));
    const runs = await Promise.all(halves(files).map((half) =>
        run(process.execPath, ["--import", "tsx", "--import", "./tests/fastTestProcess.ts", "--import", "./tests/renderOffThread.ts", "--test", "--experimental-test-isolation=none", "--test-concurrency=1", "--test-reporter=spec", ...half]),
    ));
    const output = runs.map((r) => r.output).join("\n");
    const passed = count(output, /^ℹ pass (\d+)$/gm);
    const failed = count(output, /^ℹ fail (\d+)$/gm);
    const ok = runs.every((r) => r.code === 0);
    return { name: "TypeScript", passed: passed ?? 0, failed: failed ?? (ok ? 0 : 1), ran: passed !== undefined && runs.length === 2 && ok === (failed === 0) };
}

/** `npm test -- --no-build`: the C# projects are built already (.ci/run builds them beside npm ci). */
const NoBuild = process.argv.slice(2).includes("--no-build");

async function cSharp(): Promise<SuiteResult> {
    // Quiet, except that each failed test is printed with its name, message and stack.
    const { code, output } = await run("dotnet", ["test", "Infra.sln", ...(NoBuild ? ["--no-build"] : []), "--nologo", "--verbosity", "quiet", "--logger", "console;verbosity=minimal"]);
    const passed = count(output, /Passed:\s+(\d+),/g);
    const failed = count(output, /Failed:\s+(\d+),/g);
    return { name: "C#", passed: passed ?? 0, failed: failed ?? (code === 0 ? 0 : 1), ran: passed !== undefined && (code === 0) === (failed === 0) };
}

async function typecheck(): Promise<SuiteResult> {
    const { code } = await run(process.execPath, [path.join(RepoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", "."]);
    return { name: "typecheck (tsc -p .)", passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, ran: true };
}

async function main(): Promise<number> {
    // The type check and the C# suite run beside the TypeScript one: much of each is waiting on processes.
    const results = await Promise.all([typecheck(), typeScript(), cSharp()]);
    const passed = results.reduce((sum, r) => sum + r.passed, 0);
    const failed = results.reduce((sum, r) => sum + r.failed, 0);
    process.stdout.write("\n");
    for (const r of results) {
        process.stdout.write(`${r.name}: ${r.passed} passed, ${r.failed} failed${r.ran ? "" : " (the suite did not run to completion)"}\n`);
    }
    process.stdout.write(`${passed} passed, ${failed} failed\n`);
    return failed === 0 && results.every((r) => r.ran) ? 0 : 1;
}

main().then((code) => process.exit(code));
