/**
 * npm run -s plan -- <stack> [--json | --markdown] [--config-file <path>]
 * npm run -s plan -- --all [--json | --markdown]
 *
 * Renders a stack offline (Contract 1 in docs/design.md); `--all` renders every stack in stacks/ in
 * this one process (a JSON list of plans with --json). Exit codes: 0 rendered; 1 a stack file is
 * invalid (problems on stderr, nothing on stdout); 2 usage error.
 */
import * as path from "path";
import { ConfigError } from "../../infra/config";
import { accessWarnings } from "../../infra/deployments/modelAccess";
import { describeLifecycle, needsWarning } from "../../infra/deployments/modelLifecycle";
import { CommandError, ExitCode, UsageError, err, out, parseCommandLine, runCommand } from "../cli";
import { startFast } from "./fastStart";
import { checkGuid } from "../../infra/core/validators";
import { hubStackFilePath, hubStackNames, stackFilePath, stackNames } from "../repo";
import { LoadedStack, loadStack } from "./stackFile";

const Usage = [
    "usage: npm run -s plan -- <stack> [--json | --markdown] [--config-file <path>] [--subscription-id <guid>]",
    "       npm run -s plan -- --all [--json | --markdown] [--subscription-id <guid>]",
    "  <stack>, --stack <name>   render stacks/Pulumi.<stack>.yaml, or the hub's hub/Pulumi.<stack>.yaml",
    "  --config-file <path>      render this stack file instead; the stack name is <stack> if given, else the",
    "                            file name's Pulumi.<name>.yaml part, else 'custom'",
    "  --all                     render every stack in stacks/, then the hub's, in one process",
    "  --json                    the machine-readable plan (with --all: a list of plans)",
    "  --markdown                plan text and diagram as one Markdown document",
    "  --subscription-id <guid>  render for this subscription (ids, scopes and the derived subdomain become",
    "                            what pulumi up will create there); default: the one the stack file pins",
    "                            (azure-native:subscriptionId), else the all-zero placeholder",
    "  --today <YYYY-MM-DD>      render as if pulumi up ran that day (a budget's start); default: today",
].join("\n");

interface Target {
    stack: string;
    /** Absent: found by name in stacks/ or hub/. */
    file?: string;
}

interface Parsed {
    targets: Target[];
    format: "json" | "markdown" | "text";
    all: boolean;
    subscriptionId?: string;
    today?: Date;
}

function readToday(value: string | undefined): Date | undefined {
    if (value === undefined) return undefined;
    const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
    if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) throw new UsageError(`--today ${value} is not a date; use YYYY-MM-DD`);
    return date;
}

function targets(argv: string[]): Parsed | "help" {
    const { values, positionals, help } = parseCommandLine(
        argv,
        {
            json: { type: "boolean" },
            markdown: { type: "boolean" },
            all: { type: "boolean" },
            stack: { type: "string", value: "name" },
            "config-file": { type: "string", value: "path" },
            "subscription-id": { type: "string", value: "guid" },
            today: { type: "string", value: "YYYY-MM-DD" },
        },
        1,
    );
    if (help) return "help";
    if (values.stack !== undefined && positionals[0] !== undefined && values.stack !== positionals[0]) {
        throw new UsageError(`two stack names: ${positionals[0]} and --stack ${values.stack}; give one`);
    }
    const subscriptionId = values["subscription-id"];
    const problem = subscriptionId === undefined ? undefined : checkGuid(subscriptionId);
    if (problem) throw new UsageError(`--subscription-id ${subscriptionId} ${problem.replace("(an Entra object id)", "(az account show --query id -o tsv)")}`);
    if (values.json && values.markdown) throw new UsageError("--json and --markdown exclude each other");
    const format = values.json ? "json" : values.markdown ? "markdown" : "text";
    const stack = values.stack ?? positionals[0];
    const common = { format, subscriptionId, ...(values.today !== undefined ? { today: readToday(values.today) } : {}) } as const;
    if (values.all) {
        if (stack !== undefined || values["config-file"] !== undefined) throw new UsageError("--all renders every stack in stacks/; leave out <stack> and --config-file");
        return { targets: [...stackNames().map((s) => ({ stack: s })), ...hubStackNames().map((s) => ({ stack: s, file: hubStackFilePath(s) }))], all: true, ...common };
    }
    const file = values["config-file"];
    if (file !== undefined) {
        // A stack file's own name says which stack it is; an explicit <stack> wins.
        const name = stack ?? /^Pulumi\.(.+)\.yaml$/.exec(path.basename(file))?.[1] ?? "custom";
        return { targets: [{ stack: name, file: path.resolve(file) }], all: false, ...common };
    }
    if (stack === undefined) throw new UsageError("name a stack (e.g. dev) or pass --config-file <path>");
    return { targets: [{ stack }], all: false, ...common };
}

async function main(argv: string[]): Promise<number> {
    const parsed = targets(argv);
    if (parsed === "help") {
        await out(`${Usage}\n`);
        return ExitCode.Ok;
    }
    // Validate every stack before loading the Pulumi SDK: a bad stack file is reported in a fraction
    // of the time, and nothing is printed unless every stack renders.
    const loaded: LoadedStack[] = [];
    for (const target of parsed.targets) {
        try {
            loaded.push(loadStack(target.stack, parsed.today, target.file));
        } catch (err) {
            if (err instanceof ConfigError) throw new CommandError(`${target.file ?? (hubStackNames().includes(target.stack) ? hubStackFilePath : stackFilePath)(target.stack)}\n${err.message}`);
            throw err;
        }
    }
    for (const l of loaded) {
        if (parsed.subscriptionId !== undefined && l.subscriptionId !== undefined && l.subscriptionId !== parsed.subscriptionId.toLowerCase()) {
            throw new UsageError(`--subscription-id ${parsed.subscriptionId} differs from the subscription ${l.stack}'s stack file pins (azure-native:subscriptionId ${l.subscriptionId}); leave the option out or make them agree`);
        }
    }
    const configs = loaded.flatMap((l) => ("config" in l ? [{ stack: l.stack, config: l.config }] : []));
    startFast();
    const { printPlans } = await import("./planOutput");
    const today = parsed.today ?? new Date();
    // A version that retires soon, takes no new customers, needs registration or closes to new
    // subscriptions still renders, with a warning on stderr; the preflight decides for the subscription.
    const warnings: string[] = [];
    for (const { stack, config } of configs) {
        config.deployments.forEach((d, i) => {
            if (needsWarning(d.model, d.version, today, d.sku)) warnings.push(`plan: warning: ${stack}: deployments[${i}] ${d.name}: ${describeLifecycle(d.model, d.version, today, d.sku)}\n`);
            for (const access of accessWarnings(d.model, d.version, today)) warnings.push(`plan: warning: ${stack}: deployments[${i}] ${d.name}: ${access}\n`);
        });
    }
    for (const warning of warnings) await err(warning);
    await out(await printPlans({ stacks: loaded, format: parsed.format, all: parsed.all, subscriptionId: parsed.subscriptionId, cwd: process.cwd(), today }));
    return ExitCode.Ok;
}

runCommand("plan", main);
