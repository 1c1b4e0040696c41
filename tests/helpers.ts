/** Shared by the TypeScript suites: run the plan CLI in its own process and write throwaway stack files. */
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { stringify } from "yaml";
import type { Plan, PlanResource } from "../tools/planModel";
import { runPlan } from "../tools/planProcess";

/** Renders a stack file through the CLI and parses the JSON plan; fails the test on any error. */
export function planOf(args: string[]): Plan {
    const result = runPlan([...args, "--json"]);
    if (result.code !== 0) {
        throw new Error(`plan ${args.join(" ")} exited ${result.code}:\n${result.stderr}`);
    }
    return JSON.parse(result.stdout) as Plan;
}

/** Writes `{ config: ... }` to a fresh temporary `Pulumi.<stack>.yaml` and returns its path. */
export function writeStackFile(config: Record<string, unknown>, stack = "test"): string {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "aoai-stack-")), `Pulumi.${stack}.yaml`);
    writeFileSync(file, stringify({ config }));
    return file;
}

/** A minimal valid configuration; tests change one thing at a time. */
export function minimalConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        "aoai:location": "eastus",
        "aoai:namePrefix": "demo",
        "aoai:deployments": [{ name: "chat", model: "gpt-4o-mini", version: "2024-07-18", sku: "GlobalStandard", capacity: 5 }],
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
