/**
 * What one subscription can have only once: its Defender for Cloud plan for AI. Azure writes a plan's
 * extension list whole, so two stacks that each set it would undo each other's choice on every
 * `pulumi up`. A stack that claims the plan (defenderForAI.subscriptionPlan) pins its subscription,
 * and no two committed stacks claim one subscription.
 */
import { LoadedStack } from "../plan/stackFile";

/** Every problem with the committed stacks' claims, each naming the stacks and the fix; empty when sound. */
export function subscriptionClaimProblems(stacks: readonly LoadedStack[]): string[] {
    const problems: string[] = [];
    const claimedBy = new Map<string, string>();
    for (const s of stacks) {
        if (!("config" in s) || !s.config.defenderForAI.subscriptionPlan) continue;
        if (!s.subscriptionId) {
            problems.push(`${s.stack} claims its subscription's Defender for AI plan (aoai:defenderForAI.subscriptionPlan) but pins no azure-native:subscriptionId; pin it, so one stack per subscription can be checked`);
            continue;
        }
        const earlier = claimedBy.get(s.subscriptionId);
        if (earlier) problems.push(`${earlier} and ${s.stack} both claim the Defender for AI plan of subscription ${s.subscriptionId}; Azure keeps one plan per subscription, so set subscriptionPlan in one of them only`);
        else claimedBy.set(s.subscriptionId, s.stack);
    }
    return problems;
}
