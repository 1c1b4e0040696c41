/**
 * npm run bench [-- --runs <n>]
 *
 * How long the offline plan takes, as a whole fresh process (as a pipeline runs it): the prod stack
 * alone, and every stack in one `--all` run. When the Bicep CLI is found, each is set beside
 * `bicep build` of the same landing zone (tools/bench/bicep/prod-landing-zone.bicep), run in turn with it,
 * and the ratio is the median of the pairwise ratios, so a machine that speeds up or slows down
 * during the run does not skew it. Targets: prod ≤ 0.6 × bicep build, all stacks ≤ 1.0 ×.
 * Without Bicep, absolute times (≈ 1 s target for prod on 2 cores).
 */
import { spawnSync } from "child_process";
import { existsSync, readdirSync } from "fs";
import { homedir } from "os";
import * as path from "path";
import { CommandError, ExitCode, UsageError, out, parseCommandLine, runCommand } from "../cli";
import { planCommand } from "../plan/planProcess";
import { RepoRoot, hubStackNames, stackNames } from "../repo";

const Usage = [
    "usage: npm run bench [-- --runs <n>]",
    "  times the offline plan (prod alone, all stacks in one run) in fresh processes, beside `bicep build`",
    "  of the same landing zone when the Bicep CLI is on the PATH, in $BICEP, or restored into the NuGet",
    "  cache (dotnet restore tools/bench/bicep/BicepCli.csproj); prints medians and ratios",
].join("\n");

const YardStick = path.join(RepoRoot, "tools", "bench", "bicep", "prod-landing-zone.bicep");
const Targets = { prod: 0.6, all: 1.0 };

/** The Bicep CLI: $BICEP, then the PATH, then a copy restored from NuGet. */
function findBicep(): string | undefined {
    if (process.env.BICEP) return process.env.BICEP;
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        if (dir && existsSync(path.join(dir, "bicep"))) return path.join(dir, "bicep");
    }
    const cache = path.join(process.env.NUGET_PACKAGES ?? path.join(homedir(), ".nuget", "packages"));
    for (const pkg of existsSync(cache) ? readdirSync(cache).filter((d) => d.startsWith("azure.bicep.commandline.")) : []) {
        for (const version of readdirSync(path.join(cache, pkg)).sort().reverse()) {
            const bicep = path.join(cache, pkg, version, "tools", "bicep");
            if (existsSync(bicep)) return bicep;
        }
    }
    return undefined;
}

/** Wall time of one run in milliseconds; a failed run stops the benchmark. */
function time([command, args]: [string, string[]]): number {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd: RepoRoot, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new CommandError(`${command} ${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
    return ms;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main(argv: string[]): Promise<number> {
    const { values, help } = parseCommandLine(argv, { runs: { type: "string", value: "number" } }, 0);
    if (help) {
        await out(`${Usage}\n`);
        return ExitCode.Ok;
    }
    const runs = values.runs === undefined ? 7 : Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new UsageError("--runs needs a whole number from 1 to 50");

    const bicep = findBicep();
    const commands: Record<string, [string, string[]]> = {
        prod: planCommand(["prod", "--json"]),
        all: planCommand(["--all", "--json"]),
        ...(bicep ? { bicep: [bicep, ["build", YardStick, "--stdout"]] as [string, string[]] } : {}),
    };
    const names = Object.keys(commands);
    const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (const name of names) time(commands[name]); // warm-up: disk caches, compile caches
    for (let i = 0; i < runs; i++) for (const name of names) times[name].push(time(commands[name]));

    const row = (label: string, name: "prod" | "all") => {
        const ms = median(times[name]);
        if (!bicep) return `${label.padEnd(34)} median ${ms.toFixed(0).padStart(5)} ms  (min ${Math.min(...times[name]).toFixed(0)}, max ${Math.max(...times[name]).toFixed(0)})`;
        const ratio = median(times[name].map((t, i) => t / times.bicep[i]));
        const verdict = ratio <= Targets[name] ? "within target" : "OVER TARGET";
        return `${label.padEnd(34)} median ${ms.toFixed(0).padStart(5)} ms  ratio ${ratio.toFixed(2)} × bicep build  (target ≤ ${Targets[name].toFixed(1)}: ${verdict})`;
    };
    const lines = [
        `Offline plan, ${runs} runs of each in turn after a warm-up, each a fresh process (node ${process.version}, without npm's own start-up)`,
        bicep
            ? `${"bicep build (same landing zone)".padEnd(34)} median ${median(times.bicep).toFixed(0).padStart(5)} ms  (${path.relative(RepoRoot, YardStick)})`
            : "bicep build: no Bicep CLI found ($BICEP, PATH, or dotnet restore tools/bench/bicep/BicepCli.csproj); absolute times only",
        row("plan prod --json", "prod"),
        row(`plan --all --json (${stackNames().length} stacks and ${hubStackNames().length} hub)`, "all"),
    ];
    await out(lines.join("\n") + "\n");
    return ExitCode.Ok;
}

runCommand("bench", main);
