import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import * as security from "@pulumi/azure-native/security";

/** The REST version of `accounts/defenderForAISettings` (2025-06-01, the first stable one with it). */
export const DefenderSettingsApiVersion = "2025-06-01";

/**
 * Defender for AI on one account. azure-native 3.28 has no typed resource for this child setting, so it
 * is the generic ARM resource at the path the REST reference gives:
 * `.../Microsoft.CognitiveServices/accounts/<account>/defenderForAISettings/Default`.
 */
export function accountDefender(name: string, args: { resourceGroupName: pulumi.Input<string>; accountName: pulumi.Input<string> }, parent: pulumi.Resource): resources.Resource {
    return new resources.Resource(
        name,
        {
            resourceGroupName: args.resourceGroupName,
            resourceProviderNamespace: "Microsoft.CognitiveServices",
            parentResourcePath: pulumi.interpolate`accounts/${args.accountName}`,
            resourceType: "defenderForAISettings",
            resourceName: "Default",
            apiVersion: DefenderSettingsApiVersion,
            properties: { state: "Enabled" },
        },
        { parent },
    );
}

/**
 * The subscription's Defender for Cloud plan for AI, Standard tier, with prompt evidence. The list of
 * extensions is written whole: what is not listed is turned off.
 */
export function subscriptionDefenderPlan(name: string, subscriptionId: pulumi.Input<string>): security.Pricing {
    return new security.Pricing(name, {
        scopeId: pulumi.interpolate`/subscriptions/${subscriptionId}`,
        pricingName: "AI",
        pricingTier: security.PricingTier.Standard,
        extensions: [{ name: "AIPromptEvidence", isEnabled: security.IsEnabled.True }],
    });
}
