/**
 * Which resource of an earlier plan each resource of a later plan is, as Pulumi's engine decides it.
 * Pulumi knows a resource by its URN (stack, project, the types of its parents, its type and name):
 * a resource whose parent or name changes gets a new URN, and without an alias the engine creates it
 * anew and deletes the old one, in Azure. This replays the engine's rules (pkg/resource/deploy,
 * stepGenerator.generateAliases, collapseAliasToUrn and inheritedChildAlias, Pulumi 3):
 *   - a resource is looked up by its URN first, then by each alias;
 *   - an alias that leaves out the parent means the resource's own; a parent named in an alias that
 *     itself matched by alias stands for that old URN; `{ parent: rootStackResource }` means none;
 *   - once a parent matched by alias, every child inherits an alias under the parent's old URN (and a
 *     child named `<parent>-x` follows the parent's old name).
 */
import { ConfigNamespace } from "../../infra/config";
import type { Plan, PlanAlias, PlanResource } from "../plan/planModel";

/** The URN Pulumi gives each resource of the plan, by its index in `plan.resources`. */
export function urnsOf(plan: Plan): string[] {
    const index = indexByName(plan);
    const urns: string[] = [];
    plan.resources.forEach((r, i) => {
        const parent = r.parent === null ? undefined : urns[index.get(r.parent)!];
        urns[i] = createUrn(plan.stack, r.name, r.type, parent);
    });
    return urns;
}

/** For each resource of `after`, the URN of the resource of `before` the engine takes it for; undefined: a create. */
export function claimsOf(before: Plan, after: Plan): (string | undefined)[] {
    const olds = new Set(urnsOf(before));
    const urns = urnsOf(after);
    const index = indexByName(after);
    // The old URN each resource matched by alias (sg.aliases in the engine).
    const matchedAlias = new Map<string, string>();
    return after.resources.map((r, i) => {
        const urn = urns[i];
        const parentUrn = r.parent === null ? undefined : urns[index.get(r.parent)!];
        const collapse = (a: PlanAlias) => {
            let parent = parentUrn;
            if (a.parent === null) parent = undefined;
            else if (a.parent !== undefined) {
                const named = urns[index.get(a.parent)!];
                parent = matchedAlias.get(named) ?? named;
            }
            return createUrn(after.stack, a.name ?? r.name, a.type ?? r.type, parent);
        };
        const aliases = (r.aliases ?? []).map(collapse);
        const parentAlias = parentUrn ? matchedAlias.get(parentUrn) : undefined;
        if (parentAlias) {
            for (const [name, type] of [[r.name, r.type], ...aliases.map((a) => [nameOf(a), typeOf(a)])]) {
                aliases.push(inheritedChildAlias(after.stack, type, name, r.parent!, parentAlias));
            }
        }
        // Like the engine, the first that exists wins; two resources claiming one URN is the engine's error, for the caller to find.
        const found = [urn, ...aliases].find((candidate) => olds.has(candidate));
        if (found !== undefined && found !== urn) matchedAlias.set(urn, found);
        return found;
    });
}

function indexByName(plan: Plan): Map<string, number> {
    return new Map(plan.resources.map((r: PlanResource, i) => [r.name, i]));
}

function createUrn(stack: string, name: string, type: string, parentUrn: string | undefined): string {
    const qualified = parentUrn ? `${qualifiedTypeOf(parentUrn)}$${type}` : type;
    return `urn:pulumi:${stack}::${ConfigNamespace}::${qualified}::${name}`;
}

function inheritedChildAlias(stack: string, childType: string, childName: string, parentName: string, parentAlias: string): string {
    const name = childName.startsWith(parentName) ? nameOf(parentAlias) + childName.slice(parentName.length) : childName;
    return `urn:pulumi:${stack}::${ConfigNamespace}::${qualifiedTypeOf(parentAlias)}$${childType}::${name}`;
}

const parts = (urn: string) => urn.split("::");
const qualifiedTypeOf = (urn: string) => parts(urn)[2];
const typeOf = (urn: string) => qualifiedTypeOf(urn).split("$").pop()!;
const nameOf = (urn: string) => parts(urn).slice(3).join("::");

/** The resources of two plans side by side, as `pulumi up` from the first to the second treats them. */
export interface Pairing {
    /** The same resource in both plans (under the same URN, or the old one taken over by an alias). */
    same: { before: PlanResource; after: PlanResource; moved: boolean }[];
    /** Same type and name under another URN and no alias: the engine creates the new one and deletes the old. */
    movedWithoutAlias: { before: PlanResource; after: PlanResource }[];
    deleted: PlanResource[];
    created: PlanResource[];
}

export function pairResources(before: Plan, after: Plan): Pairing {
    const oldByUrn = new Map(urnsOf(before).map((urn, i) => [urn, before.resources[i]]));
    const urns = urnsOf(after);
    const pairing: Pairing = { same: [], movedWithoutAlias: [], deleted: [], created: [] };
    const taken = new Set<PlanResource>();
    claimsOf(before, after).forEach((claim, i) => {
        const old = claim === undefined ? undefined : oldByUrn.get(claim);
        if (old) {
            taken.add(old);
            pairing.same.push({ before: old, after: after.resources[i], moved: claim !== urns[i] });
        } else {
            pairing.created.push(after.resources[i]);
        }
    });
    const left = before.resources.filter((r) => !taken.has(r));
    const key = (r: PlanResource) => `${r.type}::${r.name}`;
    const leftByKey = new Map(left.map((r) => [key(r), r]));
    pairing.created = pairing.created.filter((r) => {
        const old = leftByKey.get(key(r));
        if (!old) return true;
        pairing.movedWithoutAlias.push({ before: old, after: r });
        leftByKey.delete(key(r));
        return false;
    });
    pairing.deleted = left.filter((r) => leftByKey.has(key(r)));
    return pairing;
}
