/**
 * The plan for people: resources as a tree under their components, each input on its own line as a
 * dotted path, so a pull-request diff of two plans points at exactly the property that changed.
 */
import { Plan, PlanResource } from "./offlinePlan";

function flatten(value: unknown, prefix: string, lines: string[]): void {
    if (Array.isArray(value)) {
        if (value.length === 0) lines.push(`${prefix} = []`);
        value.forEach((item, i) => flatten(item, `${prefix}[${i}]`, lines));
    } else if (typeof value === "object" && value !== null) {
        const entries = Object.entries(value);
        if (entries.length === 0) lines.push(`${prefix} = {}`);
        for (const [key, item] of entries) flatten(item, prefix ? `${prefix}.${key}` : key, lines);
    } else {
        lines.push(`${prefix} = ${JSON.stringify(value)}`);
    }
}

export function formatPlanText(plan: Plan, source: string): string {
    const lines = [`Stack ${plan.stack} (${source}): ${plan.resources.length} resources`, ""];
    const children = new Map<string | null, PlanResource[]>();
    for (const r of plan.resources) {
        children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    }
    const visit = (parent: string | null, depth: number) => {
        for (const r of children.get(parent) ?? []) {
            const indent = "    ".repeat(depth);
            const flags = [r.protect ? "protected" : "", r.dependsOn.length ? `after ${r.dependsOn.join(", ")}` : ""].filter(Boolean);
            lines.push(`${indent}+ ${r.name}  (${r.type})${flags.length ? `  [${flags.join("; ")}]` : ""}`);
            const inputs: string[] = [];
            flatten(r.inputs, "", inputs);
            for (const line of Object.keys(r.inputs).length ? inputs : []) lines.push(`${indent}      ${line}`);
            visit(r.name, depth + 1);
        }
    };
    visit(null, 0);
    lines.push("", "Outputs:");
    const outputs: string[] = [];
    flatten(plan.outputs, "", outputs);
    for (const line of outputs) lines.push(`    ${line}`);
    return lines.join("\n") + "\n";
}
