/**
 * The account's kind: what a stack may declare, and which change from what Azure has is safe.
 * Microsoft upgrades eligible Azure OpenAI accounts (kind OpenAI) to Foundry resources (kind
 * AIServices) on its own schedule, keeping endpoint, keys and identity; azure-native updates `kind` in
 * place (the ARM schema does not mark it create-only), so a stack that still says OpenAI would roll
 * the upgrade back on its next write. docs/deploy-hazards.md (H12).
 */

/**
 * `OpenAI` is an Azure OpenAI resource; `AIServices` a Foundry resource, which serves the same Azure OpenAI
 * endpoint and also hosts projects. Azure changes one into the other in place (Microsoft's upgrade and
 * its roll back); no other kind change is allowed.
 */
export const AccountKinds = ["OpenAI", "AIServices"] as const;
export type AccountKind = (typeof AccountKinds)[number];

/** An account as Azure has it: its kind, and whether a customer-managed key encrypts it. */
export interface LiveAccount {
    kind: string;
    customerManagedKey: boolean;
}

/**
 * What stops the program for an account Azure has as `live` (undefined: it does not exist yet) when the
 * stack declares `desired`: a roll back of a Foundry upgrade, an upgrade Microsoft does not support (an
 * account with a customer-managed key), or a kind change Azure refuses. Undefined when declaring
 * `desired` is fine (the same kind, a new account, or Microsoft's upgrade OpenAI -> AIServices).
 */
export function kindProblem(desired: AccountKind, live: LiveAccount | undefined, accountName: string): string | undefined {
    if (live === undefined || live.kind === desired) return undefined;
    if (live.kind === "OpenAI" && desired === "AIServices") {
        if (!live.customerManagedKey) return undefined; // Microsoft's supported upgrade, in place
        return (
            `Account ${accountName} is an Azure OpenAI account encrypted with a customer-managed key, and this stack declares kind AIServices: ` +
            "Microsoft does not support upgrading such an account to a Foundry resource (Microsoft's upgrade page; earlier text: only on request), so the update would fail halfway. " +
            "Keep aoai:kind: OpenAI for this stack, or create the Foundry resource as a new account (another aoai:environment or aoai:namePrefix) and move callers to it."
        );
    }
    if (live.kind === "AIServices" && desired === "OpenAI") {
        return (
            `Account ${accountName} is kind AIServices in Azure (Microsoft upgraded it to a Foundry resource, or a stack set it so) and this stack declares kind OpenAI: ` +
            "deploying would roll the upgrade back. Set aoai:kind: AIServices (with a hub's DNS, also privateEndpoint.cognitiveServicesDnsZoneId and aiServicesDnsZoneId); " +
            `to roll back on purpose, roll it back in Azure first (portal: Resource upgrade; or az cognitiveservices account update -n ${accountName} -g <resource group> --kind OpenAI), then run again.`
        );
    }
    return `Account ${accountName} is kind ${live.kind} in Azure; Azure changes a kind only between OpenAI and AIServices (UpdateKindNotAllowed), so it cannot become ${desired}. Use another namePrefix or environment, or delete that account first.`;
}
