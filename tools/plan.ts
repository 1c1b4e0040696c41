/**
 * npm run -s plan -- <stack> [--json] [--config-file <path>]
 *
 * Renders a stack offline (Contract 1). Exit codes: 0 rendered; 1 the stack file is invalid (problems
 * on stderr, nothing on stdout); 2 usage error.
 */
import * as path from "path";
import { ConfigError } from "../infra/config";
import { StackFileError, readStackFile, stackFilePath, validateStackFile } from "./stackFile";

const Usage = "usage: npm run -s plan -- <stack> [--json] [--config-file <path>]";

interface Options {
    stack: string;
    file: string;
    json: boolean;
}

function parseArgs(argv: string[]): Options | string {
    let stack: string | undefined;
    let file: string | undefined;
    let json = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--json") json = true;
        else if (arg === "--config-file") {
            file = argv[++i];
            if (!file) return "--config-file needs a path";
        } else if (arg.startsWith("-")) return `unknown option ${arg}`;
        else if (stack === undefined) stack = arg;
        else return `unexpected argument ${arg}`;
    }
    if (file !== undefined) {
        // A stack file's own name says which stack it is; an explicit <stack> wins.
        stack ??= /^Pulumi\.(.+)\.yaml$/.exec(path.basename(file))?.[1] ?? "custom";
        return { stack, file: path.resolve(file), json };
    }
    if (stack === undefined) return "name a stack (e.g. dev) or pass --config-file <path>";
    return { stack, file: stackFilePath(stack), json };
}

async function main(): Promise<number> {
    let options: Options | string;
    try {
        options = parseArgs(process.argv.slice(2));
    } catch (err) {
        options = (err as Error).message;
    }
    if (typeof options === "string") {
        process.stderr.write(`plan: ${options}\n${Usage}\n`);
        return 2;
    }
    try {
        const file = readStackFile(options.file);
        // Validate before loading the Pulumi SDK: a bad stack file is reported in a fraction of the time.
        validateStackFile(options.stack, file);
        const { renderPlan } = await import("./offlinePlan");
        const { formatPlanText } = await import("./planText");
        const plan = await renderPlan(options.stack, file);
        const source = path.relative(process.cwd(), options.file) || options.file;
        process.stdout.write(options.json ? JSON.stringify(plan, null, 2) + "\n" : formatPlanText(plan, source));
        return 0;
    } catch (err) {
        if (err instanceof ConfigError || err instanceof StackFileError) {
            process.stderr.write(`plan: ${options.file}\n${err.message}\n`);
            return 1;
        }
        throw err;
    }
}

main().then(
    (code) => process.exit(code),
    (err) => {
        process.stderr.write(`plan: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        process.exit(1);
    },
);
