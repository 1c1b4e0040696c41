/**
 * npm run -s policy -- <stack> [--config-file <path>] [--policy-config <path>] [--json]
 *
 * Renders the stack offline and evaluates the policy pack over it with the stack's policy
 * configuration (policy/config/<stack>.json unless --policy-config says otherwise). Exit codes:
 * 0 no mandatory violation; 1 a mandatory violation, or an invalid stack file; 2 usage error.
 */
import * as path from "path";
import { ConfigError } from "../../infra/config";
import { existsSync } from "fs";
import { CommandError, ExitCode, UsageError, err, out, parseCommandLine, runCommand } from "../cli";
import { startFast } from "../plan/fastStart";
import { policyConfigPath } from "../repo";
import { LoadedStack, loadStack } from "../plan/stackFile";

const Usage = [
    "usage: npm run -s policy -- <stack> [--config-file <path>] [--policy-config <path>] [--json]",
    "  <stack>                the stack whose policy configuration applies (policy/config/<stack>.json);",
    "                         an environment's in stacks/, or the hub's in hub/",
    "  --config-file <path>   evaluate this stack file instead of stacks/Pulumi.<stack>.yaml (or hub/Pulumi.<stack>.yaml)",
    "  --policy-config <path> this policy configuration instead of policy/config/<stack>.json",
    "  --json                 one JSON document: { stack, violations }",
    "  exit 0 no mandatory violation, 1 a mandatory violation or an invalid stack file, 2 usage error",
].join("\n");

/**
 * The policy configuration to apply. Without one every policy is advisory, which must never pass for
 * a production stack unnoticed: that is an error for environment prod and a warning elsewhere.
 */
async function choosePolicyConfig(stack: string, environment: string, explicit: string | undefined): Promise<string | undefined> {
    if (explicit !== undefined) {
        if (!existsSync(explicit)) throw new UsageError(`--policy-config ${explicit}: no such file`);
        return path.resolve(explicit);
    }
    const file = policyConfigPath(stack);
    if (existsSync(file)) return file;
    const relative = path.relative(process.cwd(), file);
    if (environment === "prod") {
        throw new CommandError(`no ${relative} for stack ${stack}, whose environment is prod: every policy would only advise. Create it (see policy/config/prod.json) or pass --policy-config <path>`);
    }
    await err(`policy: warning: no ${relative}; every policy is advisory for stack ${stack}\n`);
    return undefined;
}

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
    let loaded: LoadedStack;
    try {
        loaded = loadStack(stack, undefined, values["config-file"] ? path.resolve(values["config-file"]) : undefined);
    } catch (err) {
        if (err instanceof ConfigError) throw new CommandError(err.message);
        throw err;
    }
    // The policy configuration is settled (or refused) before anything is rendered.
    const policyConfig = await choosePolicyConfig(stack, "hub" in loaded ? loaded.hub.environment : loaded.config.environment, values["policy-config"]);
    startFast();
    const { evaluatePolicies, readPolicyConfig } = await import("./offlinePolicy");
    const pack = policyConfig === undefined ? {} : readPolicyConfig(policyConfig);
    const { renderConfig, renderHub } = await import("../plan/offlinePlan");
    const violations = await evaluatePolicies("hub" in loaded ? await renderHub(loaded.hub) : await renderConfig(loaded.config), pack);
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
    if (values.json) {
        await out(JSON.stringify({ stack, violations }, null, 2) + "\n");
    } else {
        const lines = violations.map((v) => `${v.enforcementLevel.toUpperCase().padEnd(9)} ${v.policy}  ${v.resource ?? "(stack)"}: ${v.message}\n`);
        await out(`${lines.join("")}${stack}: ${violations.length} violation(s), ${mandatory.length} mandatory\n`);
    }
    return mandatory.length > 0 ? ExitCode.Failed : ExitCode.Ok;
}

runCommand("policy", main);
