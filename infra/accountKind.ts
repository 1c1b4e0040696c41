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
 * The kind to declare for an account Azure has as `live` (undefined: it does not exist yet).
 * @throws Error naming the account, what Azure has, and the fix, when declaring `desired` would roll
 * back a Foundry upgrade or ask for a kind change Azure refuses.
 */
export function kindToDeclare(desired: AccountKind, live: string | undefined, accountName: string): AccountKind {
    if (live === undefined || live === desired) return desired;
    if (live === "OpenAI" && desired === "AIServices") return desired; // Microsoft's supported upgrade, in place
    if (live === "AIServices" && desired === "OpenAI") {
        throw new Error(
            `Account ${accountName} is kind AIServices in Azure (Microsoft upgraded it to a Foundry resource, or a stack set it so) and this stack declares kind OpenAI: ` +
                "deploying would roll the upgrade back. Set aoai:kind: AIServices (with a hub's DNS, also privateEndpoint.cognitiveServicesDnsZoneId and aiServicesDnsZoneId); " +
                `to roll back on purpose, roll it back in Azure first (portal: Resource upgrade; or az cognitiveservices account update -n ${accountName} -g <resource group> --kind OpenAI), then run again.`,
        );
    }
    throw new Error(`Account ${accountName} is kind ${live} in Azure; Azure changes a kind only between OpenAI and AIServices (UpdateKindNotAllowed), so it cannot become ${desired}. Use another namePrefix or environment, or delete that account first.`);
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
 * account) when the stack's kind would roll back a Foundry upgrade or ask for a kind change Azure refuses.
 */
export async function checkLiveKinds(config: StackConfig): Promise<void> {
    const resourceGroup = resourceNames(config).resourceGroup;
    const accounts = [undefined, ...config.regions.map((r) => r.location)].map((secondary) => resourceNames(config, secondary).account);
    const problems = (
        await Promise.all(
            accounts.map(async (account) => {
                try {
                    kindToDeclare(config.kind, await liveKind(resourceGroup, account), account);
                    return undefined;
                } catch (err) {
                    return (err as Error).message;
                }
            }),
        )
    ).filter((p): p is string => p !== undefined);
    if (problems.length > 0) throw new pulumi.RunError(problems.join("\n"));
}
