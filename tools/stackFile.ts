/**
 * Reads a `stacks/Pulumi.<stack>.yaml` file the way the Pulumi CLI hands it to a program: every key
 * namespaced (`aoai:location`), scalars as strings, structured values as JSON text. Encrypted values
 * (`secure:`) cannot be decrypted offline and are passed on as secrets with a placeholder.
 */
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ConfigNamespace, StackConfig, parseStackConfig } from "../infra/config";

export const RepoRoot = path.resolve(__dirname, "..");

export interface StackFile {
    /** Namespaced keys to Pulumi's string form. */
    config: Record<string, string>;
    /** Keys whose values were `secure:` in the file. */
    secretKeys: string[];
}

/** Offline stand-in for an encrypted value; never a real secret. */
export const SecretPlaceholder = "[secret]";

export class StackFileError extends Error {}

export function stackFilePath(stack: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
        throw new StackFileError(`"${stack}" is not a stack name; use letters, digits, '.', '_' or '-' (e.g. dev)`);
    }
    return path.join(RepoRoot, "stacks", `Pulumi.${stack}.yaml`);
}

/** The Pulumi project name, which namespaces the program's configuration keys. */
export function projectName(): string {
    const project = parse(readFileSync(path.join(RepoRoot, "Pulumi.yaml"), "utf8")) as { name?: unknown };
    if (typeof project?.name !== "string") {
        throw new StackFileError("Pulumi.yaml has no project name");
    }
    return project.name;
}

export function readStackFile(file: string): StackFile {
    if (!existsSync(file)) {
        throw new StackFileError(`${file}: no such stack file`);
    }
    let document: unknown;
    try {
        document = parse(readFileSync(file, "utf8"));
    } catch (err) {
        throw new StackFileError(`${file}: not valid YAML: ${(err as Error).message}`);
    }
    const configSection = (document as { config?: unknown } | null)?.config ?? {};
    if (typeof configSection !== "object" || configSection === null || Array.isArray(configSection)) {
        throw new StackFileError(`${file}: 'config' must be a mapping of keys to values`);
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(configSection)) {
        if (!key.includes(":")) {
            throw new StackFileError(`${file}: config key '${key}' has no namespace; write it as <project>:${key}`);
        }
        if (isSecure(value)) {
            config[key] = SecretPlaceholder;
            secretKeys.push(key);
        } else {
            config[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return { config, secretKeys };
}

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && Object.keys(value).length === 1 && "secure" in value;
}

/** The keys of one namespace, without the prefix: what the program's config module validates. */
export function namespaceKeys(config: Record<string, string>, namespace: string): Record<string, string> {
    const prefix = `${namespace}:`;
    return Object.fromEntries(
        Object.entries(config)
            .filter(([key]) => key.startsWith(prefix))
            .map(([key, value]) => [key.slice(prefix.length), value]),
    );
}

/**
 * Validates a stack file exactly as the program will (throws ConfigError with every problem).
 * Needs no Pulumi SDK, so commands can reject a bad file before loading it.
 */
export function validateStackFile(stack: string, file: StackFile): StackConfig {
    return parseStackConfig(namespaceKeys(file.config, ConfigNamespace), stack);
}
