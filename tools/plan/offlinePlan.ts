/**
 * Renders what a stack declares without a cloud account or the Pulumi CLI (Contract 1 in
 * docs/design.md): the real program (`deployPlatform`'s two steps) runs against Azure-shaped mocks, and every
 * registration is recorded with its parent, explicit dependsOn, protect flag and the inputs the
 * provider would receive. Several stacks render one after another in the same process, each with a
 * fresh mock runtime, so `--all` pays for loading the SDK once.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigNamespace, StackConfig } from "../../infra/config";
import { checkLiveKinds } from "../../infra/foundry/liveKinds";
import { declarePlatform } from "../../infra/platform";
import { regionPlans } from "../../infra/regions.config";
import { LiveState, MockClient, MockCreated, azureMocks } from "./azureMocks";
import { Placeholder, Plan, PlanAlias } from "./planModel";
import { SecretPlaceholder, StackFile, parseStackFile } from "./stackFile";

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
 * what the program reads live as in `live` (default: a private gateway, and no account yet).
 */
export async function renderConfig(config: StackConfig, subscriptionId: string = MockClient.subscriptionId, live: LiveState = {}): Promise<Plan> {
    const declared: Declared[] = [];
    const inputs = new Map<string, Record<string, unknown>>();
    await pulumi.runtime.setMocks(
        azureMocks((r) => inputs.set(`${r.type}::${r.name}`, r.custom ? r.inputs : {}), subscriptionId, live),
        ConfigNamespace,
        config.stack,
    );

    // deployPlatform's two steps. The live check runs outside the stack, so a refusal rejects this render and nothing else.
    const plans = regionPlans(config);
    await checkLiveKinds(config.kind, plans);

    let program: Record<string, unknown> = {};
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
            program = { ...declarePlatform(config, plans) };
            return program;
        });
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
    }
    const outputs = await resolveOutputs(program);
    await pulumi.runtime.disconnect();

    const nameOf = new Map(declared.map((d) => [d.resource, d.name]));
    const aliasesOf = (d: Declared): PlanAlias[] =>
        d.aliases.map((a) => ({
            ...(a.parent !== undefined ? { parent: a.parent === null ? null : (nameOf.get(a.parent) ?? "<undeclared>") } : {}),
            ...(a.name !== undefined ? { name: a.name } : {}),
            ...(a.type !== undefined ? { type: a.type } : {}),
        }));
    return {
        stack: config.stack,
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

/** The values of an offline plan that are stand-ins, for the readable plan to mark. */
export function placeholdersOf(plan: Plan, config: StackConfig, subscriptionId: string = MockClient.subscriptionId): Placeholder[] {
    const list: Placeholder[] = [
        { value: MockClient.objectId, why: "the identity that runs pulumi up" },
        { value: MockCreated.identityPrincipalId, why: "the user-assigned identity's principal id, known after pulumi up" },
        { value: MockCreated.identityClientId, why: "the user-assigned identity's client id, known after pulumi up" },
        { value: MockCreated.keyVersion, why: "the key version Key Vault assigns, known after pulumi up" },
        { value: MockCreated.gatewayPrincipalId, why: "the gateway's managed identity, known after pulumi up" },
    ];
    for (const project of config.projects) {
        list.push({ value: MockCreated.projectPrincipalId(project.name), why: `project ${project.name}'s own identity, known after pulumi up` });
    }
    if (config.budget && !config.budget.startDateFromStack) {
        list.push({ value: `${config.budget.startDate}T00:00:00Z`, why: "the first of the month of the pulumi up that creates the budget; Azure keeps that start afterwards" });
    }
    if (subscriptionId === MockClient.subscriptionId) {
        list.push({ value: subscriptionId, why: "stand-in subscription; render with --subscription-id <guid>" });
        const derived = "derived from the stand-in subscription; render with --subscription-id <guid>";
        const hostOf = (url: unknown) => (typeof url === "string" ? new URL(url).hostname.split(".")[0] : undefined);
        // Subdomains (unless the stack names them), the gateway's and the vaults' names hash the subscription.
        const regions = Array.isArray(plan.outputs.regions) ? (plan.outputs.regions as { endpoint?: unknown }[]) : [];
        const subdomains = config.customSubdomain ? [] : [plan.outputs.customSubdomain, ...regions.slice(1).map((r) => hostOf(r.endpoint))];
        const vaults = plan.resources.filter((r) => r.type === "azure-native:keyvault:Vault").map((r) => r.inputs.vaultName);
        for (const value of [...subdomains, hostOf(plan.outputs.gatewayEndpoint), ...vaults]) {
            if (typeof value === "string") list.push({ value, why: derived });
        }
    }
    return list;
}
