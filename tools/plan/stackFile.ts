/**
 * Reads a `stacks/Pulumi.<stack>.yaml` file the way the Pulumi CLI hands it to a program: every key
 * namespaced (`aoai:location`), scalars as strings, structured values as JSON text, and a project key
 * the stack leaves out set to its default from Pulumi.yaml. Encrypted values (`secure:`) cannot be
 * decrypted offline and are passed on with a placeholder.
 */
import { existsSync, readFileSync, statSync } from "fs";
import { isMap, isScalar, parseDocument, visit } from "yaml";
import * as path from "path";
import { ConfigKeys, ConfigNamespace, StackConfig, readStackConfig } from "../../infra/config";
import type { KeySpec } from "../../infra/core/configReader";
import { HubConfig, HubConfigKeys, HubNamespace, readHubConfig } from "../../infra/hub/hub.config";
import { checkGuid } from "../../infra/core/validators";
import { CommandError, UsageError } from "../cli";
import { HubDir, ProjectFilePath, hubStackFilePath, hubStackNames, readProjectFile, stackFilePath, stackNames } from "../repo";

/** A Pulumi project of this repository: the environments' (Pulumi.yaml) or the hub's (hub/Pulumi.yaml). */
export interface Project {
    namespace: string;
    keys: Readonly<Record<string, KeySpec>>;
    projectFile: string;
}

export const EnvironmentProject: Project = { namespace: ConfigNamespace, keys: ConfigKeys, projectFile: ProjectFilePath };
export const HubProject: Project = { namespace: HubNamespace, keys: HubConfigKeys, projectFile: path.join(HubDir, "Pulumi.yaml") };

export interface StackFile {
    /** Namespaced keys to Pulumi's string form. */
    config: Record<string, string>;
}

/** Offline stand-in for an encrypted value; never a real secret. */
export const SecretPlaceholder = "[secret]";

/** A value as the Pulumi CLI passes it to a program: scalars as text, structures as JSON. */
function pulumiString(value: unknown): string {
    return typeof value === "string" ? value : typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

/** A stack file is a page or two of settings; anything this large is a mistake, refused before it is parsed. */
export const MaxStackFileBytes = 1024 * 1024;

/**
 * Parses YAML as the Pulumi CLI's reader (Go yaml.v3) does: `<<` merge keys merge, and a key given twice
 * in one mapping is an error. The duplicate check here is linear: the YAML library's own compares every
 * pair of keys, which took seconds on a file of a few megabytes.
 */
function parseYaml(text: string, file: string): { value: unknown; scalars: Map<string, string> } {
    const document = parseDocument(text, { merge: true, uniqueKeys: false });
    if (document.errors.length > 0) throw new CommandError(`${file}: not valid YAML: ${document.errors[0].message}`);
    visit(document, {
        Map(_, map) {
            const seen = new Set<string>();
            for (const pair of map.items) {
                const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
                if (key === "<<") continue;
                if (seen.has(key)) throw new CommandError(`${file}: the key '${key}' is given twice in one mapping; keep one (the Pulumi CLI refuses the file too)`);
                seen.add(key);
            }
        },
    });
    return { value: document.toJS({ maxAliasCount: 100 }), scalars: scalarTexts(document.get("config")) };
}

/**
 * Each top-level setting's text as the Pulumi CLI hands it to the program. Its reader (go-yaml v3,
 * pulumi/pulumi sdk/go/common/resource/config/value.go) keeps a plain scalar's literal text and gives
 * a null (empty, `~`, `null`) as "": so `007` stays "007", `0x1f00` stays "0x1f00", `True` stays
 * "True" (which the program then refuses as a boolean, as it would under pulumi up), and an empty
 * `aoai:environment:` means "not set". A quoted or block scalar is its value.
 */
function scalarTexts(config: unknown): Map<string, string> {
    const texts = new Map<string, string>();
    if (!isMap(config)) return texts;
    for (const pair of config.items) {
        if (!isScalar(pair.key) || !isScalar(pair.value)) continue;
        const node = pair.value;
        const text = node.value === null ? "" : node.type === "PLAIN" && typeof node.source === "string" ? node.source : String(node.value);
        texts.set(String(pair.key.value), text);
    }
    return texts;
}

export function readStackFile(file: string, project: Project = EnvironmentProject): StackFile {
    if (!existsSync(file)) {
        throw new CommandError(`${file}: no such stack file`);
    }
    const size = statSync(file).size;
    if (size > MaxStackFileBytes) {
        throw new CommandError(`${file}: is ${size} bytes; a stack file holds at most ${MaxStackFileBytes} bytes (1 MiB) of settings`);
    }
    let document: unknown;
    let scalars: Map<string, string>;
    try {
        ({ value: document, scalars } = parseYaml(readFileSync(file, "utf8"), file));
    } catch (err) {
        if (err instanceof CommandError) throw err;
        throw new CommandError(`${file}: not valid YAML: ${(err as Error).message}`);
    }
    const configSection = (document as { config?: unknown } | null)?.config ?? {};
    if (typeof configSection !== "object" || configSection === null || Array.isArray(configSection)) {
        throw new CommandError(`${file}: 'config' must be a mapping of keys to values`);
    }
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(configSection)) {
        // A key without a namespace is reported with the file's other problems (config.ts), not alone.
        const projectKey = key.startsWith(`${project.namespace}:`) ? key.slice(project.namespace.length + 1) : undefined;
        const secret = projectKey === undefined ? undefined : project.keys[projectKey]?.secret;
        if (secret && !isSecure(value)) {
            // Pulumi.yaml declares it secret, so the Pulumi CLI refuses it in clear text; so does the plan.
            throw new CommandError(`${file}: ${key} is a secret and is stored in clear text; store it encrypted: pulumi config set --secret ${key} <value>`);
        }
        if (secret) {
            config[key] = secret.offlineStandIn;
            continue;
        }
        if (isSecure(value) && projectKey !== undefined) {
            // Only keys declared secret can be validated without their value.
            throw new CommandError(
                `${file}: ${key} is encrypted, and the offline plan cannot decrypt it to validate it. It is not a secret setting (${secretKeyNames(project) || "none is"}${secretKeyNames(project) ? " are" : ""}): store it in clear text (pulumi config set ${key} ... without --secret; --path for one field of a structured value)`,
            );
        }
        if (isSecure(value)) {
            config[key] = SecretPlaceholder;
        } else {
            config[key] = scalars.get(key) ?? pulumiString(value);
        }
    }
    // Like the CLI: a declared project key the stack does not set takes its Pulumi.yaml default.
    const declaredProject = readProjectFile(project.projectFile);
    if (declaredProject.name !== project.namespace) {
        throw new CommandError(`${path.basename(path.dirname(project.projectFile))}/Pulumi.yaml names project '${declaredProject.name}' but the program reads '${project.namespace}:' keys; make them match`);
    }
    for (const [key, declared] of Object.entries(declaredProject.config)) {
        const namespaced = `${declaredProject.name}:${key}`;
        if (!(namespaced in config) && declared.default !== undefined) {
            config[namespaced] = pulumiString(declared.default);
        }
    }
    return { config };
}

function secretKeyNames(project: Project): string {
    return Object.keys(project.keys).filter((k) => project.keys[k].secret).map((k) => `${project.namespace}:${k}`).join(", ");
}

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && Object.keys(value).length === 1 && "secure" in value;
}

/**
 * Validates a stack file exactly as the program will (throws ConfigError with every problem), once.
 * Needs no Pulumi SDK, so commands reject a bad file before loading it.
 */
export function parseStackFile(stack: string, file: StackFile, today?: Date): StackConfig {
    return readStackConfig(file.config, stack, today);
}

/** A stack validated and ready to render: an environment's, or a hub's, with the subscription its file pins. */
export type LoadedStack = ({ stack: string; file: string; config: StackConfig } | { stack: string; file: string; hub: HubConfig }) & { subscriptionId?: string };

/**
 * The subscription a stack file pins for the provider (`azure-native:subscriptionId`), so a landing
 * zone's one subscription per environment is what the plan renders for; undefined when it pins none.
 */
export function pinnedSubscription(file: StackFile, source: string): string | undefined {
    const value = file.config["azure-native:subscriptionId"];
    if (value === undefined) return undefined;
    // A subscription id, not an Entra object: checkGuid's own words would name the wrong thing.
    const problem = checkGuid(value) === undefined ? undefined : /^0{8}-(0{4}-){3}0{12}$/.test(value) ? "is the all-zero placeholder, not a subscription" : "is not a GUID";
    if (problem) throw new CommandError(`${source}: azure-native:subscriptionId ${JSON.stringify(value)} ${problem}; give the subscription's id (az account show --query id -o tsv)`);
    return value.toLowerCase();
}

/** Validates a hub stack file exactly as the hub program will (throws ConfigError with every problem). */
export function parseHubStackFile(stack: string, file: StackFile): HubConfig {
    return readHubConfig(file.config, stack);
}

/**
 * Finds a stack by name, an environment's in stacks/ or a hub's in hub/, and validates it. A name
 * in both is refused: which program it meant would be a guess.
 */
export function loadStack(stack: string, today?: Date, file?: string): LoadedStack {
    const isHub = file === undefined ? hubStackNames().includes(stack) : path.dirname(path.resolve(file)) === HubDir;
    if (file === undefined && isHub && stackNames().includes(stack)) {
        throw new UsageError(`"${stack}" is both stacks/Pulumi.${stack}.yaml and hub/Pulumi.${stack}.yaml; rename one`);
    }
    const chosen = file ?? (isHub ? hubStackFilePath : stackFilePath)(stack);
    const read = readStackFile(chosen, isHub ? HubProject : EnvironmentProject);
    const subscription = pinnedSubscription(read, chosen);
    const pinned = subscription ? { subscriptionId: subscription } : {};
    return isHub ? { stack, file: chosen, hub: parseHubStackFile(stack, read), ...pinned } : { stack, file: chosen, config: parseStackFile(stack, read, today), ...pinned };
}
