/**
 * A new stack in one step: its stack file (a copy of an existing stack's, so it starts from a shape
 * that deploys), its policy configuration (the same stack's) and its plan snapshot. Workflows and
 * tests find stacks in stacks/, so nothing else needs an edit. The stack name is free; the
 * environment, which every Azure name carries, is derived from it when the name is not one.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { parseDocument } from "yaml";
import { UsageError } from "../cli";
import { loadStack } from "../plan/stackFile";
import { RepoRoot, hubStackNames, policyConfigPath, stackFilePath, stackNames } from "../repo";
import { renderSnapshot, snapshotFiles } from "../review/snapshots";

/** The environment rule (environment.config.ts): 1-10 lowercase letters or digits, starting with a letter. */
const EnvironmentPattern = /^[a-z][a-z0-9]{0,9}$/;

/** An environment name for a stack name that is not one: `Team-A_2` is `teama2`. */
export function environmentFor(stack: string): string | undefined {
    if (EnvironmentPattern.test(stack)) return undefined;
    const derived = stack.toLowerCase().replace(/[^a-z0-9]/g, "").replace(/^[0-9]+/, "").slice(0, 10);
    if (!EnvironmentPattern.test(derived)) throw new UsageError(`"${stack}" gives no environment name (1-10 lowercase letters or digits, starting with a letter); pass --environment <name>`);
    return derived;
}

export interface NewStack {
    stack: string;
    /** The stack whose file and policy configuration are copied. */
    from: string;
    /** The environment to set; derived from the stack name when that is not a valid one. */
    environment?: string;
}

/** Writes the three files and returns their paths, relative to the repository; leaves nothing behind when any check fails. */
export async function createStack({ stack, from, environment }: NewStack): Promise<string[]> {
    const file = stackFilePath(stack);
    const policy = policyConfigPath(stack);
    const snapshots = snapshotFiles(stack);
    if (stackNames().includes(stack) || hubStackNames().includes(stack)) throw new UsageError(`there is a stack named ${stack} already`);
    if (!stackNames().includes(from)) throw new UsageError(`--from ${from}: no stacks/Pulumi.${from}.yaml to start from; choose one of ${stackNames().join(", ")}`);
    for (const f of [policy, snapshots.json, snapshots.text]) {
        if (existsSync(f)) throw new UsageError(`${path.relative(RepoRoot, f)} exists already; remove it or choose another name`);
    }
    const env = environment ?? environmentFor(stack);
    if (env !== undefined && !EnvironmentPattern.test(env)) throw new UsageError(`--environment ${env}: 1-10 lowercase letters or digits, starting with a letter`);

    const document = parseDocument(readFileSync(stackFilePath(from), "utf8"));
    // Every Azure name carries the environment: the copy must not reuse its template's.
    document.setIn(["config", "aoai:environment"], env ?? stack);
    document.commentBefore = ` ${stack}: created with npm run new-stack from ${from}. Review every key, above all the names,\n address spaces and who may call it; run npm run snapshots after each change.`;
    const text = document.toString();

    // Validated where nothing looks for stacks, so a refused copy is never in stacks/, even for a moment.
    const draftDir = mkdtempSync(path.join(tmpdir(), "aoai-new-stack-"));
    let loaded;
    try {
        const draft = path.join(draftDir, `Pulumi.${stack}.yaml`);
        writeFileSync(draft, text);
        loaded = loadStack(stack, undefined, draft);
    } finally {
        rmSync(draftDir, { recursive: true, force: true });
    }
    const mine = "config" in loaded ? loaded.config : undefined;
    const twin = stackNames()
        .map((s) => loadStack(s))
        .find((s) => "config" in s && mine !== undefined && s.config.namePrefix === mine.namePrefix && s.config.environment === mine.environment);
    if (twin) throw new UsageError(`${stack} would have ${twin.stack}'s Azure names (the same namePrefix and environment); pass --environment <another>`);

    const written: string[] = [];
    const write = (f: string, content: string) => {
        writeFileSync(f, content, { flag: "wx" });
        written.push(f);
    };
    try {
        write(policy, readFileSync(policyConfigPath(from), "utf8"));
        write(file, text);
        const rendered = await renderSnapshot(stack);
        write(snapshots.json, rendered.json);
        write(snapshots.text, rendered.text);
        return written.map((f) => path.relative(RepoRoot, f));
    } catch (err) {
        // All or nothing: a stack file without its policy configuration and snapshot fails the tests.
        for (const f of written) rmSync(f, { force: true });
        throw err;
    }
}
