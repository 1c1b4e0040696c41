/**
 * Shared by the TypeScript suites: render plans in this process (the command's own validation and
 * mocks, without a process per plan), read the committed ones, and write throwaway stack files.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { stringify } from "yaml";
import { renderConfig } from "../tools/plan/offlinePlan";
import type { Plan, PlanResource } from "../tools/plan/planModel";
import { stackFilePath } from "../tools/repo";
import { snapshotFiles } from "../tools/review/snapshots";
import { parseStackFile, readStackFile } from "../tools/plan/stackFile";

/**
 * Renders what `plan <stack>` or `plan --config-file <file>` (with `--subscription-id <guid>`) would,
 * in this process: the same validation and the same mocks. Fails the test on any error.
 */
export async function planOf(args: string[]): Promise<Plan> {
    const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
    const file = option("--config-file");
    const stack = file ? (/^Pulumi\.(.+)\.yaml$/.exec(path.basename(file))?.[1] ?? "custom") : args[0];
    return renderConfig(parseStackFile(stack, readStackFile(file ?? stackFilePath(stack))), option("--subscription-id"));
}

/** A committed stack's plan, as the snapshot test holds it equal to what the stack renders. */
export function committedPlan(stack: string): Plan {
    return JSON.parse(readFileSync(snapshotFiles(stack).json, "utf8")) as Plan;
}

/** A committed stack's readable plan, likewise. */
export function committedText(stack: string): string {
    return readFileSync(snapshotFiles(stack).text, "utf8");
}

/** Writes `{ config: ... }` to a fresh temporary `Pulumi.<stack>.yaml` and returns its path. */
export function writeStackFile(config: Record<string, unknown>, stack = "test"): string {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "aoai-stack-")), `Pulumi.${stack}.yaml`);
    writeFileSync(file, stringify({ config }));
    return file;
}

/**
 * A minimal valid configuration; tests change one thing at a time. Test stacks pin model versions the
 * lifecycle data does not know (2099-...), so the calendar never changes what they render: only
 * modelLifecycle.test.ts deals in retirement dates, with a fixed clock.
 */
export function minimalConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        "aoai:location": "eastus",
        "aoai:namePrefix": "demo",
        "aoai:deployments": [{ name: "chat", model: "gpt-4o-mini", version: "2099-07-18", sku: "GlobalStandard", capacity: 5 }],
        ...overrides,
    };
}

export function byType(plan: Plan, type: string): PlanResource[] {
    return plan.resources.filter((r) => r.type === type);
}

export function one(plan: Plan, type: string): PlanResource {
    const found = byType(plan, type);
    if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
    return found[0];
}

/**
 * The primary region's resource of a type: the first registered, since the stack declares the primary
 * region's resources before any secondary's (and the shared network's before the gateway's).
 */
export function primaryOf(plan: Plan, type: string): PlanResource {
    const found = byType(plan, type);
    if (found.length === 0) throw new Error(`expected a ${type}, found none`);
    return found[0];
}
