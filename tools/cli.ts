/**
 * What every command line in tools/ shares: arguments (Node's util.parseArgs, with the messages our
 * users see), `--help`, exit codes, and output that is written whole before the process exits.
 *
 * Why the last one matters: `process.exit()` right after `process.stdout.write()` to a pipe ends the
 * process before the pipe drains, so a reader got exactly 64 KiB or 128 KiB of a larger plan and an
 * exit code of 0. Here every write is awaited, and a write that fails is an error.
 */
import { parseArgs } from "node:util";

/** Exit codes shared by every command. */
export const ExitCode = { Ok: 0, Failed: 1, Usage: 2 } as const;

/** A bad command line: reported as one line naming the option, exit 2 (`--help` shows the usage). */
export class UsageError extends Error {}

/** An expected failure (bad input file, invalid stack): reported without a stack trace, exit 1. */
export class CommandError extends Error {}

export interface OptionSpec {
    type: "string" | "boolean";
    /** What a string option's value is, for "--x needs a <value>". */
    value?: string;
    multiple?: boolean;
}

export interface CommandLine<O extends Record<string, OptionSpec>> {
    values: { [K in keyof O]?: O[K]["type"] extends "string" ? (O[K]["multiple"] extends true ? string[] : string) : boolean };
    positionals: string[];
}

/**
 * Parses argv strictly. Unknown options, missing values and more positionals than `maxPositionals`
 * throw UsageError with the option named; `--help` is answered by the caller through `help`.
 */
export function parseCommandLine<O extends Record<string, OptionSpec>>(argv: string[], options: O, maxPositionals: number): CommandLine<O> & { help: boolean } {
    const spec = Object.fromEntries(Object.entries(options).map(([name, o]) => [name, { type: o.type, multiple: o.multiple ?? false }]));
    let parsed;
    try {
        parsed = parseArgs({ args: argv, options: { ...spec, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
    } catch (err) {
        const code = (err as { code?: string }).code;
        const option = /'(-[^' ]+)/.exec((err as Error).message)?.[1] ?? "";
        if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(`unknown option ${option}`);
        if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
            const name = option.replace(/^-+/, "");
            throw new UsageError(options[name]?.type === "boolean" ? `${option} takes no value` : `${option} needs a ${options[name]?.value ?? "value"}`);
        }
        throw new UsageError((err as Error).message);
    }
    const extra = parsed.positionals[maxPositionals];
    if (extra !== undefined) throw new UsageError(`unexpected argument ${extra}`);
    const { help, ...values } = parsed.values as Record<string, unknown>;
    return { values: values as CommandLine<O>["values"], positionals: parsed.positionals, help: help === true };
}

/** Writes text and resolves once the stream has taken all of it; rejects when it could not. */
export function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
    return new Promise((resolve, reject) => {
        if (text.length === 0) return resolve();
        stream.write(text, (err) => (err ? reject(err) : resolve()));
    });
}

export const out = (text: string) => write(process.stdout, text);
export const err = (text: string) => write(process.stderr, text);

/**
 * Runs a command's main function and exits with its code once all output is written. Usage and
 * command errors become one message on stderr; anything else is a bug, printed whole.
 */
export function runCommand(name: string, main: (argv: string[]) => Promise<number>): void {
    // Without a listener an EPIPE on stdout would be thrown from the event loop instead of reaching write().
    process.stdout.on("error", () => undefined);
    const warning = nodeVersionWarning(process.versions.node);
    if (warning) process.stderr.write(`${name}: warning: ${warning}\n`);
    const finish = async (code: number, message?: string) => {
        if (message) await err(message).catch(() => undefined);
        process.exit(code);
    };
    main(process.argv.slice(2)).then(
        (code) => finish(code),
        (error: unknown) => {
            if (error instanceof UsageError) return finish(ExitCode.Usage, `${name}: ${error.message}\n`);
            if (error instanceof CommandError) return finish(ExitCode.Failed, `${name}: ${error.message}\n`);
            const code = (error as { code?: string }).code;
            if (code === "EPIPE" || code === "ERR_STREAM_DESTROYED") {
                return finish(ExitCode.Failed, `${name}: the output could not be written whole (${code}); the reader closed the pipe early\n`);
            }
            return finish(ExitCode.Failed, `${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        },
    );
}

/** The Node the project brings (package.json devDependency `node`); the Pulumi CLI runs the program on it. */
export const ProjectNodeMajor = 22;

/**
 * `npm ci --ignore-scripts` skips the `node` package's install script, so `npm run` falls back to the
 * machine's Node without a word; say so, since that is not the Node `pulumi up` will use.
 */
export function nodeVersionWarning(version: string): string | undefined {
    const major = Number(version.split(".")[0]);
    return major >= ProjectNodeMajor
        ? undefined
        : `running on Node ${version}, not the project's Node ${ProjectNodeMajor}: npm ci installs it with an install script, so run npm ci again without --ignore-scripts`;
}
