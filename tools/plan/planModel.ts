/**
 * The offline plan (Contract 1 in docs/design.md) as data, and the two readings every consumer of it
 * needs: inputs as dotted paths, and which entries are components rather than Azure resources.
 */
import { ConfigNamespace } from "../../infra/config";
import type { RunnerNetwork } from "../../infra/network/reachability";

export interface PlanResource {
    type: string;
    name: string;
    parent: string | null;
    dependsOn: string[];
    protect: boolean;
    /** Where the resource stood before (Pulumi aliases), so a move keeps it; absent when it has none. */
    aliases?: PlanAlias[];
    inputs: Record<string, unknown>;
}

/**
 * One Pulumi alias: the resource under another parent (its logical name; null: the stack's top level;
 * absent: its own parent), name or type. The engine turns each into an earlier URN (urns.ts).
 */
export interface PlanAlias {
    parent?: string | null;
    name?: string;
    type?: string;
}

export interface Plan {
    stack: string;
    resources: PlanResource[];
    outputs: Record<string, unknown>;
}

/** A value in an offline plan that stands in for one only Azure knows (the readable plan marks it), and why. */
export interface Placeholder {
    value: string;
    why: string;
}

/**
 * Every leaf of a value as `[dotted.path[0].key, value]`, in key order; an empty list or mapping is a
 * leaf of its own, so "now empty" shows as a change.
 */
export function flatten(value: unknown, prefix = ""): [string, unknown][] {
    if (Array.isArray(value) && value.length > 0) {
        return value.flatMap((item, i) => flatten(item, `${prefix}[${i}]`));
    }
    if (typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length > 0) {
        return Object.entries(value).flatMap(([key, item]) => flatten(item, prefix ? `${prefix}.${key}` : key));
    }
    return [[prefix, value]];
}

/** Components (this project's type tokens) group resources; they are not Azure resources. */
export function isComponent(r: PlanResource): boolean {
    return r.type.startsWith(`${ConfigNamespace}:`);
}

/** The hub's tools network a spoke reports in its `hub` output (Contract 2), for the runner's paths; none for a standalone stack. */
export function runnerOf(plan: Plan): RunnerNetwork | undefined {
    const hub = plan.outputs.hub as Partial<RunnerNetwork> | undefined;
    return typeof hub?.virtualNetworkId === "string" && typeof hub.runnerSubnetId === "string" && Array.isArray(hub.dnsZoneIds)
        ? { virtualNetworkId: hub.virtualNetworkId, runnerSubnetId: hub.runnerSubnetId, dnsZoneIds: hub.dnsZoneIds }
        : undefined;
}
