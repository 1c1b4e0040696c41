/** Where things are in this repository: its root, the Pulumi project file and the stacks. */
import { readFileSync, readdirSync } from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CommandError, UsageError } from "./cli";

export const RepoRoot = path.resolve(__dirname, "..");

const StacksDir = path.join(RepoRoot, "stacks");

/** The stacks in stacks/, by name, sorted. */
export function stackNames(): string[] {
    return readdirSync(StacksDir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** stacks/Pulumi.<stack>.yaml; refuses a name that could reach outside stacks/. */
export function stackFilePath(stack: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
        throw new UsageError(`"${stack}" is not a stack name; use letters, digits, '.', '_' or '-' (e.g. dev)`);
    }
    return path.join(StacksDir, `Pulumi.${stack}.yaml`);
}

/** Where a stack's policy configuration lives (the file `pulumi preview --policy-pack-config` takes). */
export function policyConfigPath(stack: string): string {
    return path.join(RepoRoot, "policy", "config", `${stack}.json`);
}

/** One key declared under `config:` in Pulumi.yaml. */
export interface ProjectConfigKey {
    type?: string;
    description?: string;
    default?: unknown;
    items?: unknown;
}

export interface ProjectFile {
    name: string;
    config: Record<string, ProjectConfigKey>;
}

/** Pulumi.yaml: the project name (the namespace of every key) and its declared configuration. */
export function readProjectFile(): ProjectFile {
    const project = parse(readFileSync(path.join(RepoRoot, "Pulumi.yaml"), "utf8")) as { name?: unknown; config?: unknown };
    if (typeof project?.name !== "string") {
        throw new CommandError("Pulumi.yaml has no project name");
    }
    const config = project.config ?? {};
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        throw new CommandError("Pulumi.yaml: 'config' must be a mapping of declared keys");
    }
    return { name: project.name, config: config as Record<string, ProjectConfigKey> };
}
