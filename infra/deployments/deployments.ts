import * as pulumi from "@pulumi/pulumi";
import * as cognitiveservices from "@pulumi/azure-native/cognitiveservices";
import type { ModelDeploymentConfig } from "./deployments.config";

export interface ModelDeploymentsArgs {
    /** Required. Resource group of the account. */
    resourceGroupName: pulumi.Input<string>;
    /** Required. The account's name as an output, so every deployment waits for the account. */
    accountName: pulumi.Input<string>;
    /** Required. Deployments in the order they are written; may be empty. */
    deployments: ModelDeploymentConfig[];
    /** Required. Tags for every deployment. */
    tags: Record<string, string>;
    /** Optional. Defaults to none. The account's last earlier write (a content filter policy), which the first deployment waits for. */
    after?: pulumi.Resource;
}

/**
 * Creates the model deployments one after another: each depends on the previous one, because the
 * Cognitive Services resource provider allows one write per account at a time and answers parallel
 * deployment writes with 409 RequestConflict (azurerm#22607, AVM's @batchSize(1)). Pulumi would
 * otherwise create sibling resources in parallel.
 */
export function createModelDeployments(
    name: string,
    args: ModelDeploymentsArgs,
    parent: pulumi.Resource,
): cognitiveservices.Deployment[] {
    const created: cognitiveservices.Deployment[] = [];
    for (const d of spilloverTargetsFirst(args.deployments)) {
        const previous = created[created.length - 1] ?? args.after;
        created.push(
            new cognitiveservices.Deployment(
                `${name}-deployment-${d.name}`,
                {
                    resourceGroupName: args.resourceGroupName,
                    accountName: args.accountName,
                    deploymentName: d.name,
                    sku: { name: d.sku, capacity: d.capacity },
                    properties: {
                        model: { format: "OpenAI", name: d.model, version: d.version },
                        versionUpgradeOption: d.versionUpgradeOption,
                        ...(d.raiPolicyName ? { raiPolicyName: d.raiPolicyName } : {}),
                        ...(d.spilloverTo ? { spilloverDeploymentName: d.spilloverTo } : {}),
                    },
                    tags: args.tags,
                },
                { parent, dependsOn: previous ? [previous] : [] },
            ),
        );
    }
    return created;
}

/**
 * The stack's order, except that a spillover target is written before the provisioned deployment that
 * names it: Azure refuses a spilloverDeploymentName that does not exist yet.
 */
export function spilloverTargetsFirst(deployments: ModelDeploymentConfig[]): ModelDeploymentConfig[] {
    const targets = new Set(deployments.map((d) => d.spilloverTo).filter((t): t is string => t !== undefined));
    return [...deployments.filter((d) => targets.has(d.name)), ...deployments.filter((d) => !targets.has(d.name))];
}
