/**
 * npm run -s plan-diff -- <old-plan.json> <new-plan.json> [--json]
 *
 * For pull requests: compare the base branch's plan with the branch's. Exit codes: 0 nothing
 * dangerous changed; 1 something dangerous changed (replacement, deletion, wider exposure, keys on,
 * protection or diagnostics removed); 2 usage or input error.
 */
import { readFileSync } from "fs";
import { ExitCode, UsageError, out, parseCommandLine, runCommand } from "../cli";
import { consequencesOf } from "./consequences";
import { diffPlans, formatChanges } from "./planDiff";
import type { Plan } from "../plan/planModel";

const Usage = [
    "usage: npm run -s plan-diff -- <old-plan.json> <new-plan.json> [--json]",
    "  compares two offline plans (npm run -s plan -- <stack> --json) and lists dangerous changes first",
    "  --json   one JSON document: { stack, dangerous, changes }",
    "  exit 0 nothing dangerous, 1 something dangerous changed, 2 usage or input error",
].join("\n");

function readPlan(file: string): Plan {
    let plan: Plan;
    try {
        plan = JSON.parse(readFileSync(file, "utf8")) as Plan;
    } catch (err) {
        throw new UsageError(`${file}: ${(err as Error).message}`);
    }
    if (typeof plan?.stack !== "string" || !Array.isArray(plan.resources)) {
        throw new UsageError(`${file}: not a plan; produce one with npm run -s plan -- <stack> --json`);
    }
    return plan;
}

async function main(argv: string[]): Promise<number> {
    const { values, positionals, help } = parseCommandLine(argv, { json: { type: "boolean" } }, 2);
    if (help) {
        await out(`${Usage}\n`);
        return ExitCode.Ok;
    }
    if (positionals.length !== 2) throw new UsageError("give exactly two plan files");
    const [before, after] = positionals.map(readPlan);
    const changes = diffPlans(before, after);
    const consequences = consequencesOf(before, after, changes);
    const dangerous = changes.some((c) => c.severity === "danger") || consequences.some((c) => c.severity === "danger");
    await out(values.json ? JSON.stringify({ stack: after.stack, dangerous, consequences, changes }, null, 2) + "\n" : formatChanges(changes, `${positionals[0]} -> ${positionals[1]} (stack ${after.stack})`, consequences));
    return dangerous ? ExitCode.Failed : ExitCode.Ok;
}

runCommand("plan-diff", main);
