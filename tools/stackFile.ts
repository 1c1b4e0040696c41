/**
 * Reads a `stacks/Pulumi.<stack>.yaml` file the way the Pulumi CLI hands it to a program: every key
 * namespaced (`aoai:location`), scalars as strings, structured values as JSON text, and a project key
 * the stack leaves out set to its default from Pulumi.yaml. Encrypted values (`secure:`) cannot be
 * decrypted offline and are passed on with a placeholder.
 */
import { existsSync, readFileSync } from "fs";
import { parse } from "yaml";
import { ConfigKeys, ConfigNamespace, StackConfig, readStackConfig } from "../infra/config";
import { CommandError } from "./cli";
import { readProjectFile } from "./repo";

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

export function readStackFile(file: string): StackFile {
    if (!existsSync(file)) {
        throw new CommandError(`${file}: no such stack file`);
    }
    let document: unknown;
    try {
        document = parse(readFileSync(file, "utf8"));
    } catch (err) {
        throw new CommandError(`${file}: not valid YAML: ${(err as Error).message}`);
    }
    const configSection = (document as { config?: unknown } | null)?.config ?? {};
    if (typeof configSection !== "object" || configSection === null || Array.isArray(configSection)) {
        throw new CommandError(`${file}: 'config' must be a mapping of keys to values`);
    }
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(configSection)) {
        if (!key.includes(":")) {
            throw new CommandError(`${file}: config key '${key}' has no namespace; write it as <project>:${key}`);
        }
        const projectKey = key.startsWith(`${ConfigNamespace}:`) ? key.slice(ConfigNamespace.length + 1) : undefined;
        const secret = projectKey === undefined ? undefined : ConfigKeys[projectKey]?.secret;
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
                `${file}: ${key} is encrypted, and the offline plan cannot decrypt it to validate it. It is not a secret setting (${secretKeyNames()} are): store it in clear text (pulumi config set ${key} ... without --secret; --path for one field of a structured value)`,
            );
        }
        if (isSecure(value)) {
            config[key] = SecretPlaceholder;
        } else {
            config[key] = pulumiString(value);
        }
    }
    // Like the CLI: a declared project key the stack does not set takes its Pulumi.yaml default.
    const project = readProjectFile();
    if (project.name !== ConfigNamespace) {
        throw new CommandError(`Pulumi.yaml names project '${project.name}' but the program reads '${ConfigNamespace}:' keys; make them match`);
    }
    for (const [key, declared] of Object.entries(project.config)) {
        const namespaced = `${project.name}:${key}`;
        if (!(namespaced in config) && declared.default !== undefined) {
            config[namespaced] = pulumiString(declared.default);
        }
    }
    return { config };
}

function secretKeyNames(): string {
    return Object.keys(ConfigKeys).filter((k) => ConfigKeys[k].secret).map((k) => `${ConfigNamespace}:${k}`).join(", ");
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
