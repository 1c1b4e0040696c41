/**
 * Reads each account as Azure has it before the program declares anything, and stops instead of
 * rolling back Microsoft's upgrade to a Foundry resource (kind.ts says which changes are safe); the
 * preflight reports the same before anyone runs `pulumi up`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as cognitiveservices from "@pulumi/azure-native/cognitiveservices";
import { isNotFound } from "../core/liveRead";
import { AccountKind, LiveAccount, kindProblem } from "./kind";

/** The account as Azure has it now; undefined when it (or its resource group) does not exist. */
async function liveAccount(resourceGroupName: string, accountName: string): Promise<LiveAccount | undefined> {
    try {
        const account = await cognitiveservices.getAccount({ resourceGroupName, accountName });
        return { kind: account.kind ?? "", customerManagedKey: account.properties?.encryption?.keySource === "Microsoft.KeyVault" };
    } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
    }
}

/**
 * Reads every region's account (by its Azure names) before anything is declared, and stops the program (one message per
 * account) when the stack's kind would roll back a Foundry upgrade or ask for a kind change Azure
 * refuses, or when an account cannot be read: the program never guesses what Azure has.
 */
export async function checkLiveKinds(kind: AccountKind, regions: readonly { names: { resourceGroup: string; account: string } }[]): Promise<void> {
    const problems = await Promise.all(
        regions.map(async ({ names: { resourceGroup, account } }) => {
            try {
                return kindProblem(kind, await liveAccount(resourceGroup, account), account);
            } catch (err) {
                const reason = (err instanceof Error ? err.message : String(err)).split("\n", 1)[0];
                return `Could not read account ${account} in ${resourceGroup} to compare its kind with the stack's (${reason}); the program stops rather than guess. Check that the login can read the resource group, then run again.`;
            }
        }),
    );
    const found = problems.filter((p): p is string => p !== undefined);
    if (found.length > 0) throw new pulumi.RunError(found.join("\n"));
}
