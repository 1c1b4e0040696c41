/**
 * npm run -s lifecycle-report -- <stack>=<preflight.json> [...] [--warn-days <n>]
 *
 * Prints the weekly model-lifecycle issue's body (lifecycleReport.ts) from each stack's preflight
 * report. Exit codes: 0 printed; 2 usage or input error (a report that is not the preflight's JSON).
 */
import { readFileSync } from "fs";
import { ExitCode, UsageError, out, parseCommandLine, runCommand } from "../cli";
import { StackPreflight, lifecycleReport } from "./lifecycleReport";

const Usage = [
    "usage: npm run -s lifecycle-report -- <stack>=<preflight.json> [...] [--warn-days <n>]",
    "  prints, as Markdown, every deployment whose model version retired or retires within --warn-days (90)",
].join("\n");

function readReport(arg: string): StackPreflight {
    const [stack, file] = arg.split("=", 2);
    if (!stack || !file) throw new UsageError(`${arg}: give <stack>=<preflight.json>`);
    let report: unknown;
    try {
        report = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
        throw new UsageError(`${file}: ${(err as Error).message}`);
    }
    if (!Array.isArray((report as { checks?: unknown } | null)?.checks)) throw new UsageError(`${file}: not a preflight report (preflight --json)`);
    return { stack, report: report as StackPreflight["report"] };
}

runCommand("lifecycle-report", async (argv) => {
    const { values, positionals, help } = parseCommandLine(argv, { "warn-days": { type: "string", value: "n" } }, 100);
    if (help) {
        await out(`${Usage}\n`);
        return ExitCode.Ok;
    }
    const warnDays = values["warn-days"] === undefined ? 90 : Number(values["warn-days"]);
    if (!Number.isInteger(warnDays) || warnDays < 0) throw new UsageError(`--warn-days ${values["warn-days"]} is not a whole number of days`);
    if (positionals.length === 0) throw new UsageError("give at least one <stack>=<preflight.json>");
    await out(lifecycleReport(positionals.map(readReport), warnDays));
    return ExitCode.Ok;
});
