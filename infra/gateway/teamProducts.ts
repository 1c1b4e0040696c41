import * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import { teamProductId } from "./gatewayPolicy";
import { TeamConfig } from "./teams.config";

/**
 * A product per team recognised by subscription (`team-<name>`), with the gateway's API and one
 * subscription whose key the team sends as `api-key`; the policy places its callers by the product.
 * Approval is required, so nobody else can subscribe to a team's product from the developer portal.
 */
export function teamProducts(
    parent: pulumi.Resource,
    name: string,
    service: { resourceGroupName: pulumi.Input<string>; serviceName: pulumi.Input<string> },
    teams: readonly TeamConfig[],
    api: apimanagement.Api,
): void {
    for (const team of teams.filter((t) => t.recognisedBy.kind === "subscription")) {
        const productId = teamProductId(team.name);
        const product = new apimanagement.Product(
            `${name}-product-${team.name}`,
            { ...service, productId, displayName: `Team ${team.name}`, subscriptionRequired: true, approvalRequired: true, subscriptionsLimit: 1, state: apimanagement.ProductState.Published },
            { parent },
        );
        new apimanagement.ProductApi(`${name}-product-${team.name}-api`, { ...service, productId: product.name, apiId: api.name }, { parent });
        new apimanagement.Subscription(
            `${name}-subscription-${team.name}`,
            { ...service, sid: productId, displayName: `Team ${team.name}`, scope: pulumi.interpolate`/products/${productId}`, state: apimanagement.SubscriptionState.Active },
            { parent, dependsOn: [product] },
        );
    }
}
