/**
 * npm run -s policy -- <stack> [--config-file <path>] [--policy-config <path>] [--json]
 *
 * Renders the stack offline and evaluates the policy pack over it with the stack's policy
 * configuration (policy/config/<stack>.json unless --policy-config says otherwise). Exit codes:
 * 0 no mandatory violation; 1 a mandatory violation, or an invalid stack file; 2 usage error.
 */
import * as path from "path";
import { ConfigError } from "../infra/config";
import { StackFileError, readStackFile, stackFilePath, validateStackFile } from "./stackFile";

const Usage = "usage: npm run -s policy -- <stack> [--config-file <path>] [--policy-config <path>] [--json]";

async function main(argv: string[]): Promise<number> {
    let stack: string | undefined;
    let file: string | undefined;
    let policyConfig: string | undefined;
    let json = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--json") json = true;
        else if (arg === "--config-file" || arg === "--policy-config") {
            const value = argv[++i];
            if (!value) return usage(`${arg} needs a path`);
            if (arg === "--config-file") file = path.resolve(value);
            else policyConfig = path.resolve(value);
        } else if (arg.startsWith("-")) return usage(`unknown option ${arg}`);
        else if (stack === undefined) stack = arg;
        else return usage(`unexpected argument ${arg}`);
    }
    if (stack === undefined) return usage("name the stack whose policy configuration applies (e.g. prod)");
    try {
        const stackFile = readStackFile(file ?? stackFilePath(stack));
        validateStackFile(stack, stackFile);
        const { renderPlan } = await import("./offlinePlan");
        const { evaluatePolicies, policyConfigPath, readPolicyConfig } = await import("./offlinePolicy");
        const plan = await renderPlan(stack, stackFile);
        const violations = await evaluatePolicies(plan, readPolicyConfig(policyConfig ?? policyConfigPath(stack)));
        const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
        if (json) {
            process.stdout.write(JSON.stringify({ stack, violations }, null, 2) + "\n");
        } else {
            for (const v of violations) {
                process.stdout.write(`${v.enforcementLevel.toUpperCase().padEnd(9)} ${v.policy}  ${v.resource ?? "(stack)"}: ${v.message}\n`);
            }
            process.stdout.write(`${stack}: ${violations.length} violation(s), ${mandatory.length} mandatory\n`);
        }
        return mandatory.length > 0 ? 1 : 0;
    } catch (err) {
        if (err instanceof ConfigError || err instanceof StackFileError) {
            process.stderr.write(`policy: ${err.message}\n`);
            return 1;
        }
        throw err;
    }
}

function usage(message: string): number {
    process.stderr.write(`policy: ${message}\n${Usage}\n`);
    return 2;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
        process.stderr.write(`policy: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        process.exit(1);
    },
);
