/**
 * The Defender for AI section (key `defenderForAI`): threat protection for the accounts' prompts and
 * answers. Two switches, because they live at two scopes:
 * - `accounts`: the per-account setting (`accounts/defenderForAISettings`, name `Default`), declared on
 *   every account of the stack;
 * - `subscriptionPlan`: the subscription's Defender for Cloud plan `AI` (with the `AIPromptEvidence`
 *   extension, which keeps the suspicious prompt in the alert). A plan is the subscription's, not the
 *   stack's: Azure replaces its whole extension list on each write, so two stacks writing it would undo
 *   each other. Exactly one stack per subscription may claim it, and it must pin
 *   `azure-native:subscriptionId` so that claim can be checked (tools/stacks).
 */
import { ConfigSection } from "../core/configReader";

export interface DefenderConfig {
    /** Optional. Defaults to `true` when the environment is `prod`, else `false`. Defender for AI on every account. */
    accounts: boolean;
    /** Optional. Defaults to `false`. The subscription's `AI` plan with prompt evidence; one stack per subscription. */
    subscriptionPlan: boolean;
}

const Fields = ["accounts", "subscriptionPlan"] as const;

export const defenderSection: ConfigSection<{ defenderForAI: DefenderConfig }, { environment?: string }> = {
    keys: { defenderForAI: { fields: Fields } },
    read(r, get, { environment }) {
        const value = get("defenderForAI");
        const d = value === undefined ? {} : r.object("defenderForAI", value);
        if (!d) return undefined;
        r.unknownKeys("defenderForAI", d, Fields);
        const accounts = d.accounts === undefined ? environment === "prod" : r.boolean("defenderForAI.accounts", d.accounts);
        const subscriptionPlan = d.subscriptionPlan === undefined ? false : r.boolean("defenderForAI.subscriptionPlan", d.subscriptionPlan);
        if (subscriptionPlan && accounts === false) {
            r.report("defenderForAI.subscriptionPlan", "turns on the subscription's plan while accounts is false; the per-account setting is what applies it to this stack's accounts, so set accounts: true as well");
            return undefined;
        }
        return accounts === undefined || subscriptionPlan === undefined ? undefined : { defenderForAI: { accounts, subscriptionPlan } };
    },
};
