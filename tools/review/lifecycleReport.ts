/**
 * The body of the weekly model-lifecycle issue: from each stack's preflight report (--json), every
 * deployment whose model version has retired or retires within the warning window, with its region,
 * its date and what Azure names to move to. Nothing to report is said too, so the issue stays current.
 */

/** One stack's preflight report as `preflight --json` prints it (Contract 4). */
export interface StackPreflight {
    stack: string;
    report: { subscriptionId?: string; checks: { check: string; subject: string; location?: string | null; verdict: string; detail: string; fix?: string | null }[] };
}

function cell(text: string | null | undefined): string {
    return (text ?? "-").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

export function lifecycleReport(stacks: StackPreflight[], warnDays: number): string {
    const rows = stacks.flatMap(({ stack, report }) =>
        report.checks.filter((c) => c.check === "lifecycle" && (c.verdict === "model-retiring" || c.verdict === "model-retired")).map((c) => ({ stack, ...c })),
    );
    const lines = [`### Model versions retired or retiring within ${warnDays} days`, ""];
    if (rows.length === 0) {
        lines.push(`No deployment of ${stacks.map((s) => s.stack).join(", ")} retires within ${warnDays} days.`);
    } else {
        lines.push("| Stack | Deployment | Region | Verdict | When | What to do |", "|---|---|---|---|---|---|");
        for (const r of rows) lines.push(`| ${cell(r.stack)} | ${cell(r.subject)} | ${cell(r.location)} | ${cell(r.verdict)} | ${cell(r.detail)} | ${cell(r.fix)} |`);
    }
    lines.push("", `Checked ${stacks.length} stack(s) with the preflight; this issue is rewritten every week by the model-lifecycle workflow.`);
    return lines.join("\n") + "\n";
}
