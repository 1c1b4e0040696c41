/**
 * npm run -s plan-diff -- <old-plan.json> <new-plan.json> [--json]
 *
 * For pull requests: compare the base branch's plan with the branch's. Exit codes: 0 nothing
 * dangerous changed; 1 something dangerous changed (replacement, deletion, wider exposure, keys on,
 * protection or diagnostics removed); 2 usage or input error.
 */
import { readFileSync } from "fs";
import type { Plan } from "./offlinePlan";
import { diffPlans, formatChanges } from "./planDiff";

const Usage = "usage: npm run -s plan-diff -- <old-plan.json> <new-plan.json> [--json]";

function readPlan(file: string): Plan {
    let plan: Plan;
    try {
        plan = JSON.parse(readFileSync(file, "utf8")) as Plan;
    } catch (err) {
        throw new Error(`${file}: ${(err as Error).message}`);
    }
    if (typeof plan?.stack !== "string" || !Array.isArray(plan.resources)) {
        throw new Error(`${file}: not a plan; produce one with npm run -s plan -- <stack> --json`);
    }
    return plan;
}

function main(argv: string[]): number {
    const json = argv.includes("--json");
    const files = argv.filter((a) => a !== "--json");
    const unknown = files.find((a) => a.startsWith("-"));
    if (unknown || files.length !== 2) {
        process.stderr.write(`plan-diff: ${unknown ? `unknown option ${unknown}` : "give exactly two plan files"}\n${Usage}\n`);
        return 2;
    }
    let before: Plan;
    let after: Plan;
    try {
        [before, after] = files.map(readPlan);
    } catch (err) {
        process.stderr.write(`plan-diff: ${(err as Error).message}\n`);
        return 2;
    }
    const changes = diffPlans(before, after);
    const dangerous = changes.some((c) => c.severity === "danger");
    process.stdout.write(json ? JSON.stringify({ stack: after.stack, dangerous, changes }, null, 2) + "\n" : formatChanges(changes, `${files[0]} -> ${files[1]} (stack ${after.stack})`));
    return dangerous ? 1 : 0;
}

process.exit(main(process.argv.slice(2)));
