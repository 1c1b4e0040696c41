/**
 * Evaluates the policy pack over an offline plan, the way the Pulumi CLI would during a preview:
 * resource policies see each resource's inputs, stack policies see all of them, and enforcement
 * levels and policy settings come from the stack's policy configuration (policy/config/<stack>.json),
 * with the same "all" key the CLI understands.
 */
import { existsSync, readFileSync } from "fs";
import type { EnforcementLevel, PolicyPackConfig, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { ConfigNamespace } from "../../infra/config";
import { allPolicies } from "../../policy/policies";
import { Plan, PlanResource, isComponent } from "../plan/planModel";
import { CommandError } from "../cli";

export interface Violation {
    policy: string;
    enforcementLevel: EnforcementLevel;
    /** Logical name of the resource, or null for a stack-wide finding without one. */
    resource: string | null;
    message: string;
}

const Levels: readonly string[] = ["advisory", "mandatory", "remediate", "disabled"];

/**
 * Reads a policy configuration and refuses what the CLI would quietly ignore: a policy name that is
 * not in the pack (a typo leaves the real policy at its advisory default) or an unknown level.
 */
export function readPolicyConfig(file: string): PolicyPackConfig {
    if (!existsSync(file)) throw new CommandError(`${file}: no such policy configuration`);
    let config: unknown;
    try {
        config = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
        throw new CommandError(`${file}: not JSON (${(err as Error).message})`);
    }
    if (typeof config !== "object" || config === null || Array.isArray(config)) throw new CommandError(`${file}: must be a JSON object of policy names`);
    const names = ["all", ...allPolicies.map((p) => p.name)];
    for (const [name, value] of Object.entries(config)) {
        if (!names.includes(name)) throw new CommandError(`${file}: "${name}" is not a policy of this pack; known: ${names.join(", ")}`);
        const level = typeof value === "string" ? value : (value as { enforcementLevel?: unknown } | null)?.enforcementLevel;
        if (level !== undefined && !Levels.includes(String(level))) throw new CommandError(`${file}: ${name}: "${level}" is not an enforcement level; use ${Levels.join(", ")}`);
    }
    return config as PolicyPackConfig;
}

type Policy = ResourceValidationPolicy | StackValidationPolicy;

function settingsFor(policy: Policy, config: PolicyPackConfig): { level: EnforcementLevel; values: Record<string, unknown> } {
    const defaults = Object.fromEntries(
        Object.entries(policy.configSchema?.properties ?? {}).map(([key, schema]) => [key, (schema as { default?: unknown }).default]),
    );
    const own = config[policy.name];
    const all = config["all"];
    const packLevel = typeof all === "string" ? all : (all?.enforcementLevel as EnforcementLevel | undefined);
    if (typeof own === "string") return { level: own, values: defaults };
    const { enforcementLevel, ...values } = own ?? {};
    return { level: (enforcementLevel as EnforcementLevel | undefined) ?? packLevel ?? policy.enforcementLevel ?? "advisory", values: { ...defaults, ...values } };
}

class NotApplicable extends Error {}

function urnOf(plan: Plan, r: PlanResource): string {
    return `urn:pulumi:${plan.stack}::${ConfigNamespace}::${r.type}::${r.name}`;
}

function typeOf(cls: unknown): string | undefined {
    return (cls as { __pulumiType?: string }).__pulumiType;
}

function policyResource(plan: Plan, r: PlanResource): PolicyResource {
    return {
        type: r.type,
        props: r.inputs,
        urn: urnOf(plan, r),
        name: r.name,
        opts: { protect: r.protect, ignoreChanges: [], aliases: [], customTimeouts: {}, additionalSecretOutputs: [] } as unknown as PolicyResource["opts"],
        isType: (cls: unknown) => typeOf(cls) === r.type,
        asType: ((cls: unknown) => (typeOf(cls) === r.type ? r.inputs : undefined)) as PolicyResource["asType"],
    } as PolicyResource;
}

export async function evaluatePolicies(plan: Plan, config: PolicyPackConfig): Promise<Violation[]> {
    const violations: Violation[] = [];
    // Components are Pulumi's grouping, not Azure resources; the CLI's analyzer does not see them either.
    const resources = plan.resources.filter((r) => !isComponent(r));
    for (const policy of allPolicies) {
        const { level, values } = settingsFor(policy, config);
        if (level === "disabled") continue;
        const getConfig = <T>() => values as T;
        const notApplicable = (reason?: string): never => {
            throw new NotApplicable(reason);
        };
        const nameByUrn = new Map(resources.map((r) => [urnOf(plan, r), r.name]));
        const report = (message: string, urn?: string, fallback: string | null = null) =>
            violations.push({ policy: policy.name, enforcementLevel: level, resource: urn ? (nameByUrn.get(urn) ?? fallback) : fallback, message });
        try {
            if ("validateResource" in policy && policy.validateResource) {
                const validators = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
                for (const r of resources) {
                    const args = { ...policyResource(plan, r), stackTags: new Map(), getConfig, notApplicable } as unknown as ResourceValidationArgs;
                    for (const validate of validators) {
                        try {
                            await validate(args, (message, urn) => report(message, urn, r.name));
                        } catch (err) {
                            if (!(err instanceof NotApplicable)) throw err;
                        }
                    }
                }
            } else if ("validateStack" in policy && policy.validateStack) {
                const args = { resources: resources.map((r) => policyResource(plan, r)), stackTags: new Map(), getConfig, notApplicable };
                await policy.validateStack(args as never, (message, urn) => report(message, urn));
            }
        } catch (err) {
            if (!(err instanceof NotApplicable)) throw err;
        }
    }
    return violations;
}
