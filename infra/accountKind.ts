/**
 * Microsoft upgrades eligible Azure OpenAI accounts (kind OpenAI) to Foundry resources (kind AIServices)
 * on its own schedule, keeping endpoint, keys and identity. azure-native updates `kind` in place (the
 * ARM schema does not mark it create-only), so a stack that still says OpenAI would send kind OpenAI on
 * its next write to the account and roll Microsoft's upgrade back. The program reads each account as
 * Azure has it before it declares anything, and stops instead; the preflight reports the same before
 * anyone runs `pulumi up`.
 * docs/deploy-hazards.md (H12).
 */
import * as pulumi from "@pulumi/pulumi";
import * as cognitiveservices from "@pulumi/azure-native/cognitiveservices";
import type { AccountKind } from "./account.config";
import type { StackConfig } from "./config";
import { isNotFound } from "./liveRead";
import { resourceNames } from "./naming";

/**
 * What stops the program for an account Azure has as `live` (undefined: it does not exist yet) when the
 * stack declares `desired`: a roll back of a Foundry upgrade, or a kind change Azure refuses. Undefined
 * when declaring `desired` is fine (the same kind, a new account, or Microsoft's upgrade OpenAI -> AIServices).
 */
export function kindProblem(desired: AccountKind, live: string | undefined, accountName: string): string | undefined {
    if (live === undefined || live === desired) return undefined;
    if (live === "OpenAI" && desired === "AIServices") return undefined; // Microsoft's supported upgrade, in place
    if (live === "AIServices" && desired === "OpenAI") {
        return (
            `Account ${accountName} is kind AIServices in Azure (Microsoft upgraded it to a Foundry resource, or a stack set it so) and this stack declares kind OpenAI: ` +
            "deploying would roll the upgrade back. Set aoai:kind: AIServices (with a hub's DNS, also privateEndpoint.cognitiveServicesDnsZoneId and aiServicesDnsZoneId); " +
            `to roll back on purpose, roll it back in Azure first (portal: Resource upgrade; or az cognitiveservices account update -n ${accountName} -g <resource group> --kind OpenAI), then run again.`
        );
    }
    return `Account ${accountName} is kind ${live} in Azure; Azure changes a kind only between OpenAI and AIServices (UpdateKindNotAllowed), so it cannot become ${desired}. Use another namePrefix or environment, or delete that account first.`;
}

/** The account's kind as Azure has it now; undefined when it (or its resource group) does not exist. */
async function liveKind(resourceGroupName: string, accountName: string): Promise<string | undefined> {
    try {
        return (await cognitiveservices.getAccount({ resourceGroupName, accountName })).kind;
    } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
    }
}

/**
 * Reads every region's account before anything is declared, and stops the program (one message per
 * account) when the stack's kind would roll back a Foundry upgrade or ask for a kind change Azure
 * refuses, or when an account cannot be read: the program never guesses what Azure has.
 */
export async function checkLiveKinds(config: StackConfig): Promise<void> {
    const resourceGroup = resourceNames(config).resourceGroup;
    const accounts = [undefined, ...config.regions.map((r) => r.location)].map((secondary) => resourceNames(config, secondary).account);
    const problems = await Promise.all(
        accounts.map(async (account) => {
            try {
                return kindProblem(config.kind, await liveKind(resourceGroup, account), account);
            } catch (err) {
                const reason = (err instanceof Error ? err.message : String(err)).split("\n", 1)[0];
                return `Could not read account ${account} in ${resourceGroup} to compare its kind with the stack's (${reason}); the program stops rather than guess. Check that the login can read the resource group, then run again.`;
            }
        }),
    );
    const found = problems.filter((p): p is string => p !== undefined);
    if (found.length > 0) throw new pulumi.RunError(found.join("\n"));
}
