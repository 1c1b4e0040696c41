/**
 * npm run new-stack -- <name> [--from <stack>] [--environment <env>]
 *
 * Adds a stack: stacks/Pulumi.<name>.yaml copied from an existing stack (default dev), its policy
 * configuration and its plan snapshot (newStack.ts). Exit codes: 0 written; 1 the copy does not
 * validate (nothing is left behind); 2 usage error.
 */
import { ConfigError } from "../../infra/config";
import { CommandError, ExitCode, UsageError, out, parseCommandLine, runCommand } from "../cli";
import { startFast } from "../plan/fastStart";

const Usage = [
    "usage: npm run new-stack -- <name> [--from <stack>] [--environment <env>]",
    "  <name>               the stack's name (letters, digits, '.', '_', '-'), e.g. team-a",
    "  --from <stack>       the stack to copy (default dev: public, keys on; prod and staging are private)",
    "  --environment <env>  the environment every Azure name carries (1-10 lowercase letters or digits);",
    "                       default: the name, or the name without what an environment may not hold (team-a: teama)",
    "  writes stacks/Pulumi.<name>.yaml, policy/config/<name>.json and tests/snapshots/<name>.plan.json and .txt",
].join("\n");

runCommand("new-stack", async (argv) => {
    const { values, positionals, help } = parseCommandLine(argv, { from: { type: "string", value: "stack" }, environment: { type: "string", value: "env" } }, 1);
    if (help) {
        await out(`${Usage}\n`);
        return ExitCode.Ok;
    }
    const [stack] = positionals;
    if (stack === undefined) throw new UsageError("name the new stack, e.g. npm run new-stack -- team-a");
    startFast();
    const { createStack } = await import("./newStack");
    try {
        const written = await createStack({ stack, from: values.from ?? "dev", ...(values.environment !== undefined ? { environment: values.environment } : {}) });
        await out(`${written.map((f) => `wrote ${f}`).join("\n")}\nReview stacks/Pulumi.${stack}.yaml, then npm run snapshots; the workflows find the stack by its file.\n`);
    } catch (err) {
        if (err instanceof ConfigError) throw new CommandError(`the copy of ${values.from ?? "dev"} does not validate as ${stack}:\n${err.message}`);
        throw err;
    }
    return ExitCode.Ok;
});
