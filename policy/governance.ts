/**
 * Governance guardrails: every account watched by Defender for AI, and every team the gateway knows
 * held to a token limit, where the stack's policy config sets required (prod).
 */
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import * as resources from "@pulumi/azure-native/resources";
import { StackValidationPolicy } from "@pulumi/policy";
import { teamsInPolicy } from "../infra/gateway/teamPolicy";
import { benchmarkLedger } from "./benchmark";
import { RequiredSwitch, accountNameOf, accounts, isRequired } from "./accounts";

export const defenderForAi: StackValidationPolicy = {
    name: "openai-defender-for-ai",
    description:
        "Pitfall: prompt injection, credential theft through prompts and data exfiltration go unseen. Where the stack's policy config sets required (prod), every account has Defender for AI (accounts/defenderForAISettings Default, state Enabled; aoai:defenderForAI.accounts).",
    enforcementLevel: "advisory",
    configSchema: RequiredSwitch,
    validateStack: (args, reportViolation) => {
        if (!isRequired(args)) return;
        const settings = args.resources.filter(
            (r) => r.isType(resources.Resource) && r.props.resourceProviderNamespace === "Microsoft.CognitiveServices" && r.props.resourceType === "defenderForAISettings" && r.props.properties?.state === "Enabled",
        );
        for (const account of accounts(args.resources)) {
            const name = accountNameOf(account);
            if (!settings.some((s) => String(s.props.parentResourcePath).toLowerCase() === `accounts/${name}`.toLowerCase())) {
                reportViolation(`Account ${name} has no Defender for AI setting in state Enabled; set aoai:defenderForAI.accounts: true.`, account.urn);
            }
        }
    },
};

export const gatewayTeamLimits: StackValidationPolicy = {
    name: "gateway-team-limits",
    description:
        "Pitfall: one team's burst or runaway job takes every other team's capacity, and the bill has no owner. Where the stack's policy config sets required (prod), every team the gateway's policy recognises has its own llm-token-limit (counter team-<name>, tokens-per-minute or token-quota; gateway.teams[].tokensPerMinute, tokenQuota).",
    enforcementLevel: "advisory",
    configSchema: RequiredSwitch,
    validateStack: (args, reportViolation) => {
        if (!isRequired(args)) return;
        for (const policy of args.resources.filter((r) => r.isType(apimanagement.ApiPolicy))) {
            for (const team of teamsInPolicy(String(policy.props.value ?? ""))) {
                if (team.tokensPerMinute === undefined && team.tokenQuota === undefined) {
                    reportViolation(`Team ${team.name} has no token limit at the gateway; give it tokensPerMinute or tokenQuota (aoai:gateway.teams).`, policy.urn);
                }
            }
        }
    },
};

export const securityBenchmark: StackValidationPolicy = {
    name: "security-benchmark",
    description:
        "Pitfall: a control of the Microsoft cloud security benchmark that Azure reports non-compliant after the deploy. Where the stack's policy config sets required (prod), every control the plan text's benchmark ledger reads (policy/benchmark.ts) is held or exempt with its reason, none open.",
    enforcementLevel: "advisory",
    configSchema: RequiredSwitch,
    validateStack: (args, reportViolation) => {
        if (!isRequired(args)) return;
        for (const c of benchmarkLedger(args.resources.map((r) => ({ type: r.type, props: r.props })))) {
            if (c.state === "open") reportViolation(`${c.control} is not held: ${c.why}.`);
        }
    },
};
