/**
 * What the plan command prints for stacks already validated: the plan JSON (a list with --all), or the
 * readable text or Markdown. The command and the committed snapshots both print through here, so a
 * snapshot rendered in a test process is byte for byte what `npm run -s plan` prints.
 */
import * as path from "path";
import type { StackConfig } from "../infra/config";
import { placeholdersOf, renderConfig } from "./offlinePlan";
import { formatPlanMarkdown, formatPlanText } from "./planText";

export type PlanFormat = "json" | "markdown" | "text";

export interface PrintRequest {
    /** Each stack's validated configuration and the file it came from. */
    stacks: { config: StackConfig; file: string }[];
    format: PlanFormat;
    /** True for `--all`: JSON is then a list of plans. */
    all: boolean;
    subscriptionId?: string;
    /** What file paths are shown relative to (the command's working directory). */
    cwd: string;
}

export async function printPlans(request: PrintRequest): Promise<string> {
    const rendered = [];
    for (const { config, file } of request.stacks) {
        const plan = await renderConfig(config, request.subscriptionId);
        const source = path.relative(request.cwd, file) || file;
        const placeholders = placeholdersOf(plan, config, request.subscriptionId);
        rendered.push({ plan, text: request.format === "markdown" ? formatPlanMarkdown(plan, source, placeholders) : request.format === "text" ? formatPlanText(plan, source, placeholders) : "" });
    }
    if (request.format === "json") {
        const plans = rendered.map((r) => r.plan);
        return JSON.stringify(request.all ? plans : plans[0], null, 2) + "\n";
    }
    return rendered.map((r) => r.text).join("\n");
}
