/**
 * What the plan command prints for stacks already validated: the plan JSON (a list with --all), or the
 * readable text or Markdown. The command and the committed snapshots both print through here, so a
 * snapshot rendered in a test process is byte for byte what `npm run -s plan` prints.
 */
import * as path from "path";
import type { StackConfig } from "../../infra/config";
import type { HubConfig } from "../../infra/hub/hub.config";
import { renderConfig, renderHub } from "./offlinePlan";
import { hubPlaceholders, placeholdersOf } from "./placeholders";
import type { Placeholder, Plan } from "./planModel";
import { formatPlanMarkdown, formatPlanText } from "./planText";

export type PlanFormat = "json" | "markdown" | "text";

export interface PrintRequest {
    /** Each stack's validated configuration (an environment's, or a hub's), the file it came from, and the subscription it pins. */
    stacks: (({ config: StackConfig; file: string } | { hub: HubConfig; file: string }) & { subscriptionId?: string })[];
    format: PlanFormat;
    /** True for `--all`: JSON is then a list of plans. */
    all: boolean;
    subscriptionId?: string;
    /** What file paths are shown relative to (the command's working directory). */
    cwd: string;
    /** The day model retirements are counted from. */
    today: Date;
}

/** A stack rendered once, ready to print in any format. */
export interface RenderedStack {
    plan: Plan;
    source: string;
    placeholders: Placeholder[];
    today: Date;
}

export async function renderStacks(request: Omit<PrintRequest, "format">): Promise<RenderedStack[]> {
    const rendered: RenderedStack[] = [];
    for (const stack of request.stacks) {
        const source = path.relative(request.cwd, stack.file) || stack.file;
        // --subscription-id, else the subscription the stack file pins, else the placeholder.
        const subscriptionId = request.subscriptionId ?? stack.subscriptionId;
        if ("hub" in stack) {
            const plan = await renderHub(stack.hub, subscriptionId);
            rendered.push({ plan, source, placeholders: hubPlaceholders(subscriptionId), today: request.today });
            continue;
        }
        const plan = await renderConfig(stack.config, subscriptionId);
        rendered.push({ plan, source, placeholders: placeholdersOf(plan, stack.config, subscriptionId), today: request.today });
    }
    return rendered;
}

export function formatStacks(rendered: RenderedStack[], format: PlanFormat, all: boolean): string {
    if (format === "json") {
        const plans = rendered.map((r) => r.plan);
        return JSON.stringify(all ? plans : plans[0], null, 2) + "\n";
    }
    const print = format === "markdown" ? formatPlanMarkdown : formatPlanText;
    return rendered.map((r) => print(r.plan, r.source, r.placeholders, r.today)).join("\n");
}

export async function printPlans(request: PrintRequest): Promise<string> {
    return formatStacks(await renderStacks(request), request.format, request.all);
}
