/** Where things are in this repository: its root, the Pulumi project file and the stacks. */
import { readFileSync, readdirSync } from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CommandError, UsageError } from "./cli";

export const RepoRoot = path.resolve(__dirname, "..");

const StacksDir = path.join(RepoRoot, "stacks");

/** The hub project (hub/Pulumi.yaml) and its stack files, beside it. */
export const HubDir = path.join(RepoRoot, "hub");

function stacksIn(dir: string): string[] {
    return readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** The environments' stacks in stacks/, by name, sorted. */
export function stackNames(): string[] {
    return stacksIn(StacksDir);
}

/** The hub project's stacks in hub/, by name, sorted. */
export function hubStackNames(): string[] {
    return stacksIn(HubDir);
}

function checkStackName(stack: string): void {
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
        throw new UsageError(`"${stack}" is not a stack name; use letters, digits, '.', '_' or '-' (e.g. dev)`);
    }
}

/** stacks/Pulumi.<stack>.yaml; refuses a name that could reach outside stacks/. */
export function stackFilePath(stack: string): string {
    checkStackName(stack);
    return path.join(StacksDir, `Pulumi.${stack}.yaml`);
}

/** hub/Pulumi.<stack>.yaml; refuses a name that could reach outside hub/. */
export function hubStackFilePath(stack: string): string {
    checkStackName(stack);
    return path.join(HubDir, `Pulumi.${stack}.yaml`);
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

/** The environments' project file, at the repository's root. */
export const ProjectFilePath = path.join(RepoRoot, "Pulumi.yaml");

/** A Pulumi.yaml (the environments' by default): the project name (the namespace of every key) and its declared configuration. */
export function readProjectFile(file: string = ProjectFilePath): ProjectFile {
    const shown = path.relative(RepoRoot, file);
    const project = parse(readFileSync(file, "utf8")) as { name?: unknown; config?: unknown };
    if (typeof project?.name !== "string") {
        throw new CommandError(`${shown} has no project name`);
    }
    const config = project.config ?? {};
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        throw new CommandError(`${shown}: 'config' must be a mapping of declared keys`);
    }
    return { name: project.name, config: config as Record<string, ProjectConfigKey> };
}
