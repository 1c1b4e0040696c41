/**
 * Where each stack is deployed from, worked out from the repository instead of lists in the
 * workflows: the stacks are the files in stacks/ and hub/, and each one's committed plan (which the
 * snapshot test holds equal to what it renders) says whether anything of it is private. A private
 * stack deploys from the hub's runner, which its plan must show an open path from; the hub and every
 * stack that peers with it share one concurrency group, since each writes to the hub's network.
 */
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { reachability } from "../../infra/network/reachability";
import { CommandError } from "../cli";
import { Plan, isComponent, runnerOf } from "../plan/planModel";
import { LoadedStack, loadStack } from "../plan/stackFile";
import { RepoRoot, hubStackNames, stackNames } from "../repo";
import { snapshotFiles } from "../review/snapshots";
import { subscriptionClaimProblems } from "./subscriptionClaims";

/** The self-hosted runner's labels in the hub's runner subnet (docs/hub.md). */
export const HubRunner = ["self-hosted", "aoai-hub"] as const;

export interface StackRoute {
    stack: string;
    /** The Pulumi project: `aoai` for an environment, `aoai-hub` for a hub. */
    project: string;
    /** Where `pulumi` runs, relative to the repository. */
    workDir: string;
    /** The job's `runs-on`. */
    runsOn: string | readonly string[];
    /** The deploy job's concurrency group. */
    concurrency: string;
    /** The subscription the stack file pins (`azure-native:subscriptionId`), if it does. */
    subscriptionId?: string;
}

/** Every stack, the environments first, then the hubs; refuses stacks that claim what a subscription has once. */
export function stackList(): string[] {
    const stacks = [...stackNames(), ...hubStackNames()];
    const problems = subscriptionClaimProblems(stacks.map((s) => loadStack(s)));
    if (problems.length) throw new CommandError(problems.join("\n"));
    return stacks;
}

function committedPlan(stack: string): Plan {
    const file = snapshotFiles(stack).json;
    if (!existsSync(file)) throw new CommandError(`${path.relative(RepoRoot, file)} is missing: run npm run snapshots (npm run new-stack writes it for a new stack)`);
    return JSON.parse(readFileSync(file, "utf8")) as Plan;
}

/** The Pulumi project a stack belongs to, and where `pulumi` runs for it. */
export function projectOf(stack: string): { stack: string; project: string; workDir: string } {
    return "hub" in loadStack(stack) ? { stack, project: "aoai-hub", workDir: "hub" } : { stack, project: "aoai", workDir: "." };
}

/** How a stack is deployed; refuses one whose private endpoints the hub's runner has no open path to. */
export function stackRoute(stack: string): StackRoute {
    const loaded = loadStack(stack);
    return routeOf(loaded, "hub" in loaded ? undefined : committedPlan(stack));
}

/** The route of a loaded stack, from its plan (an environment's; a hub needs none). */
export function routeOf(loaded: LoadedStack, plan: Plan | undefined): StackRoute {
    const { stack } = loaded;
    const pinned = loaded.subscriptionId ? { subscriptionId: loaded.subscriptionId } : {};
    if ("hub" in loaded || plan === undefined) {
        // From GitHub's runners: the runner's own network cannot be deployed from inside it before it exists.
        return { stack, project: "aoai-hub", workDir: "hub", runsOn: "ubuntu-latest", concurrency: "deploy-hub-network", ...pinned };
    }
    const resources = plan.resources.filter((r) => !isComponent(r)).map((r) => ({ type: r.type, props: r.inputs }));
    const endpoints = resources.filter((r) => /cognitiveservices:Account$|ApiManagementService$/.test(r.type)).length;
    const paths = reachability(resources, runnerOf(plan));
    const publicOnes = paths.filter((p) => p.from === "internet" && p.state === "open").length;
    const peers = resources.some((r) => r.type === "azure-native:network:VirtualNetworkPeering");
    const concurrency = peers ? "deploy-hub-network" : `deploy-${stack}`;
    if (publicOnes === endpoints) return { stack, project: "aoai", workDir: ".", runsOn: "ubuntu-latest", concurrency, ...pinned };
    const fromRunner = paths.filter((p) => p.from.startsWith("runner ") && p.state === "open").length;
    if (fromRunner < endpoints) {
        throw new CommandError(`${stack} has private endpoints, and its plan shows the hub's runner an open path to ${fromRunner} of ${endpoints}: join a hub (aoai:hub, docs/hub.md) so the deploy job can probe what it deploys`);
    }
    return { stack, project: "aoai", workDir: ".", runsOn: HubRunner, concurrency, ...pinned };
}
