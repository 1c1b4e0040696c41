/**
 * npm run -s policy -- <stack> [--config-file <path>] [--policy-config <path>] [--json]
 *
 * Renders the stack offline and evaluates the policy pack over it with the stack's policy
 * configuration (policy/config/<stack>.json unless --policy-config says otherwise). Exit codes:
 * 0 no mandatory violation; 1 a mandatory violation, or an invalid stack file; 2 usage error.
 */
import * as path from "path";
import { ConfigError } from "../infra/config";
import { CommandError, ExitCode, UsageError, out, parseCommandLine, runCommand } from "./cli";
import { startFast } from "./fastStart";
import { stackFilePath } from "./repo";
import { parseStackFile, readStackFile } from "./stackFile";

const Usage = [
    "usage: npm run -s policy -- <stack> [--config-file <path>] [--policy-config <path>] [--json]",
    "  <stack>                the stack whose policy configuration applies (policy/config/<stack>.json)",
    "  --config-file <path>   evaluate this stack file instead of stacks/Pulumi.<stack>.yaml",
    "  --policy-config <path> this policy configuration instead of policy/config/<stack>.json",
    "  --json                 one JSON document: { stack, violations }",
    "  exit 0 no mandatory violation, 1 a mandatory violation or an invalid stack file, 2 usage error",
].join("\n");

async function main(argv: string[]): Promise<number> {
    const { values, positionals, help } = parseCommandLine(
        argv,
        { json: { type: "boolean" }, "config-file": { type: "string", value: "path" }, "policy-config": { type: "string", value: "path" } },
        1,
    );
    if (help) {
        await out(`${Usage}\n`);
        return ExitCode.Ok;
    }
    const [stack] = positionals;
    if (stack === undefined) throw new UsageError("name the stack whose policy configuration applies (e.g. prod)");
    const file = values["config-file"] ? path.resolve(values["config-file"]) : stackFilePath(stack);
    let config;
    try {
        config = parseStackFile(stack, readStackFile(file));
    } catch (err) {
        if (err instanceof ConfigError) throw new CommandError(err.message);
        throw err;
    }
    startFast();
    const { renderConfig } = await import("./offlinePlan");
    const { evaluatePolicies, policyConfigPath, readPolicyConfig } = await import("./offlinePolicy");
    const plan = await renderConfig(config);
    const policyConfig = values["policy-config"] ? path.resolve(values["policy-config"]) : policyConfigPath(stack);
    const violations = await evaluatePolicies(plan, readPolicyConfig(policyConfig));
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
    if (values.json) {
        await out(JSON.stringify({ stack, violations }, null, 2) + "\n");
    } else {
        const lines = violations.map((v) => `${v.enforcementLevel.toUpperCase().padEnd(9)} ${v.policy}  ${v.resource ?? "(stack)"}: ${v.message}\n`);
        await out(`${lines.join("")}${stack}: ${violations.length} violation(s), ${mandatory.length} mandatory\n`);
    }
    return mandatory.length > 0 ? ExitCode.Failed : ExitCode.Ok;
}

runCommand("policy", Usage, main);
