/**
 * Renders what a stack declares without a cloud account or the Pulumi CLI (Contract 1 in
 * docs/design.md): the real program (`deployPlatform`'s steps, or the hub's) runs against Azure-shaped mocks, and every
 * registration is recorded with its parent, explicit dependsOn, protect flag and the inputs the
 * provider would receive. Several stacks render one after another in the same process, each with a
 * fresh mock runtime, so `--all` pays for loading the SDK once.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigNamespace, StackConfig } from "../../infra/config";
import { checkLiveKinds } from "../../infra/foundry/liveKinds";
import { declareHub } from "../../infra/hub/hub";
import { HubConfig, HubNamespace, readHubConfig } from "../../infra/hub/hub.config";
import { declarePlatform, joinedHub } from "../../infra/platform";
import { regionPlans } from "../../infra/regions.config";
import { CommandError } from "../cli";
import { hubStackFilePath, hubStackNames } from "../repo";
import { LiveState, MockClient, azureMocks } from "./azureMocks";
import { Plan, PlanAlias } from "./planModel";
import { HubProject, SecretPlaceholder, StackFile, parseStackFile, pinnedSubscription, readStackFile } from "./stackFile";

interface Declared {
    resource: pulumi.Resource;
    type: string;
    name: string;
    parent?: pulumi.Resource;
    dependsOn: pulumi.Resource[];
    protect: boolean;
    aliases: { parent?: pulumi.Resource | null; name?: string; type?: string }[];
}

/**
 * Validates the stack file (once), then renders it. A ConfigError is thrown before the Pulumi runtime
 * is touched, so a bad stack file registers nothing.
 */
export async function renderPlan(stack: string, file: StackFile): Promise<Plan> {
    return renderConfig(parseStackFile(stack, file));
}

/**
 * Runs the program for an already validated configuration under fresh mocks, as if deployed to
 * `subscriptionId` (default: the all-zero placeholder, so plans stay the same on every machine), with
 * what the program reads live as in `live` (default: a private gateway, and no account yet). A spoke's
 * hub outputs, unless `live` gives them, are those of its hub's stack file in hub/, rendered first.
 */
export async function renderConfig(config: StackConfig, subscriptionId: string = MockClient.subscriptionId, live: LiveState = {}): Promise<Plan> {
    const hubs = live.hubs ?? (config.hub ? { [config.hub.stack]: (await renderHubOf(config.hub.stack, subscriptionId)).outputs } : {});
    const plans = regionPlans(config);
    return renderProgram(config.stack, ConfigNamespace, subscriptionId, { ...live, hubs }, {
        // The live check runs outside the stack, so a refusal rejects this render and nothing else.
        check: () => checkLiveKinds(config.kind, plans),
        declare: async () => ({ ...declarePlatform(config, plans, await joinedHub(config)) }),
    });
}

/** Renders a hub stack (hub/Pulumi.<stack>.yaml's program) under fresh mocks. */
export async function renderHub(config: HubConfig, subscriptionId: string = MockClient.subscriptionId): Promise<Plan> {
    return renderProgram(config.stack, HubNamespace, subscriptionId, {}, { declare: async () => ({ ...declareHub(config) }) });
}

/**
 * A hub's rendered plans by what determines them (its validated settings and the subscription), so
 * `--all` and a test process render each hub once however many spokes name it.
 */
const renderedHubs = new Map<string, Promise<Plan>>();

/** The hub a spoke names (`<organization>/<project>/<stack>`), rendered from hub/Pulumi.<stack>.yaml. */
async function renderHubOf(reference: string, subscriptionId: string): Promise<Plan> {
    const stack = reference.split("/").pop()!;
    if (!hubStackNames().includes(stack)) {
        throw new CommandError(`aoai:hub.stack ${reference}: the offline plan renders a spoke with its hub's outputs, from hub/Pulumi.${stack}.yaml, and there is no such file; add the hub's stack file (docs/hub.md)`);
    }
    const file = hubStackFilePath(stack);
    const read = readStackFile(file, HubProject);
    const config = readHubConfig(read.config, stack);
    // A hub in a subscription of its own (its file pins it) is rendered there; else beside the spoke.
    const subscription = pinnedSubscription(read, file) ?? subscriptionId;
    const key = JSON.stringify([config, subscription]);
    if (!renderedHubs.has(key)) renderedHubs.set(key, renderHub(config, subscription));
    return renderedHubs.get(key)!;
}

/** Runs one program's declarations in a fresh mock runtime and records every registration. */
async function renderProgram(
    stack: string,
    namespace: string,
    subscriptionId: string,
    live: LiveState,
    program: { check?: () => Promise<void>; declare: () => Promise<Record<string, unknown>> },
): Promise<Plan> {
    const declared: Declared[] = [];
    const inputs = new Map<string, Record<string, unknown>>();
    const missing: string[] = [];
    await pulumi.runtime.setMocks(
        azureMocks((r) => inputs.set(`${r.type}::${r.name}`, r.custom ? r.inputs : {}), subscriptionId, live, (m) => missing.push(m)),
        namespace,
        stack,
    );
    await program.check?.();

    let exported: Record<string, unknown> = {};
    // A read that stops the program (a hub that reports too little) rejects this render once, after
    // the runtime is released: thrown inside the stack it would also reject the stack's outputs unheard.
    let stopped: { error: unknown } | undefined;
    // The SDK captures a stack trace for every resource it registers (its source position in state),
    // which under mocks nothing reads and which took half of a render's time; restored afterwards.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        await pulumi.runtime.runInPulumiStack(async () => {
            // Legacy stack transformations run inside the SDK at construction time, so unlike transforms
            // they also run under mocks, in declaration order, and see parent, dependsOn and protect.
            pulumi.runtime.registerStackTransformation((args) => {
                declared.push({
                    resource: args.resource,
                    type: args.type,
                    name: args.name,
                    parent: args.opts.parent,
                    dependsOn: dependsOnList(args.opts.dependsOn, args.name),
                    protect: args.opts.protect === true,
                    aliases: aliasList(args.opts.aliases, args.name),
                });
                return undefined;
            });
            try {
                exported = await program.declare();
            } catch (error) {
                stopped = { error };
            }
            return exported;
        });
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
    }
    if (stopped) {
        await pulumi.runtime.disconnect();
        throw stopped.error;
    }
    const outputs = await resolveOutputs(exported);
    await pulumi.runtime.disconnect();
    // A plan missing what depends on an unmocked resource would read as complete: refused instead.
    if (missing.length) throw new Error([...new Set(missing)].join("\n"));

    const nameOf = new Map(declared.map((d) => [d.resource, d.name]));
    const aliasesOf = (d: Declared): PlanAlias[] =>
        d.aliases.map((a) => ({
            ...(a.parent !== undefined ? { parent: a.parent === null ? null : (nameOf.get(a.parent) ?? "<undeclared>") } : {}),
            ...(a.name !== undefined ? { name: a.name } : {}),
            ...(a.type !== undefined ? { type: a.type } : {}),
        }));
    return {
        stack,
        resources: declared.map((d) => ({
            type: d.type,
            name: d.name,
            parent: (d.parent && nameOf.get(d.parent)) ?? null,
            dependsOn: d.dependsOn.map((r) => nameOf.get(r) ?? "<undeclared>"),
            protect: d.protect,
            ...(d.aliases.length > 0 ? { aliases: aliasesOf(d) } : {}),
            inputs: sortKeys(redact(inputs.get(`${d.type}::${d.name}`) ?? {})) as Record<string, unknown>,
        })),
        outputs,
    };
}

/** Aliases as the program writes them: plain objects naming a parent resource (or none), a name or a type. */
function aliasList(value: unknown, name: string): Declared["aliases"] {
    if (value === undefined) return [];
    if (!Array.isArray(value) || !value.every((a) => typeof a === "object" && a !== null && !pulumi.Output.isInstance(a))) {
        throw new Error(`${name}: the offline plan records aliases only as a plain list of alias objects`);
    }
    // azure-native adds, to every resource, aliases of the type tokens its earlier versions used; they
    // name no URN this program ever wrote, so the plan leaves them out and shows only the program's own.
    const own = value.filter((a: pulumi.Alias) => !(Object.keys(a).length === 1 && typeof a.type === "string" && a.type.startsWith("azure-native:")));
    return own.map((a: pulumi.Alias) => {
        if (a.parent !== undefined && !pulumi.Resource.isInstance(a.parent)) throw new Error(`${name}: an alias's parent must be a resource or pulumi.rootStackResource`);
        if (typeof a.name === "object" || typeof a.type === "object" || a.stack !== undefined || a.project !== undefined) throw new Error(`${name}: an alias may change only parent, name (a string) and type (a string)`);
        return {
            ...(Object.prototype.hasOwnProperty.call(a, "parent") ? { parent: (a.parent as pulumi.Resource | undefined) ?? null } : {}),
            ...(a.name !== undefined ? { name: a.name as string } : {}),
            ...(a.type !== undefined ? { type: a.type as string } : {}),
        };
    });
}

function dependsOnList(value: unknown, name: string): pulumi.Resource[] {
    if (value === undefined) return [];
    const list = Array.isArray(value) ? value : [value];
    if (!list.every((r) => pulumi.Resource.isInstance(r))) {
        throw new Error(`${name}: the offline plan records dependsOn only as a plain list of resources`);
    }
    return list as pulumi.Resource[];
}

/** Secret values arrive from the mock monitor wrapped in Pulumi's secret signature; print a placeholder. */
function redact(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(redact);
    if (typeof value === "object" && value !== null) {
        const record = value as Record<string, unknown>;
        if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return SecretPlaceholder;
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, redact(v)]));
    }
    return value;
}

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(
            Object.keys(value)
                .sort()
                .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
        );
    }
    return value;
}

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => (resolve(v), v)));
}

async function resolveOutputs(program: Record<string, unknown>): Promise<Record<string, unknown>> {
    const outputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(program)) {
        if (pulumi.Output.isInstance(value)) {
            outputs[key] = (await pulumi.isSecret(value)) ? SecretPlaceholder : await valueOf(value);
        } else {
            outputs[key] = value;
        }
    }
    return outputs;
}
