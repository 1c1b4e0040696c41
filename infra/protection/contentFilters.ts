import * as pulumi from "@pulumi/pulumi";
import * as cognitiveservices from "@pulumi/azure-native/cognitiveservices";
import { createHash } from "crypto";
import { BinaryFilters, ContentFiltersConfig, ContentFilterPolicyConfig, HarmCategories, HarmCategory } from "./contentFilters.config";

export interface ContentFiltersArgs {
    /** Required. Resource group of the account. */
    resourceGroupName: pulumi.Input<string>;
    /** Required. The account's name as an output, so every write waits for the account. */
    accountName: pulumi.Input<string>;
    /** Required. Policies and blocklists; may be empty. */
    contentFilters: ContentFiltersConfig;
}

/**
 * A blocklist item's name: a hash of what it blocks, so reordering the list replaces nothing and
 * changing a term replaces just that item.
 */
export function blocklistItemName(item: { pattern: string; regex: boolean }): string {
    return `item-${createHash("sha256").update(`${item.regex}:${item.pattern}`).digest("hex").slice(0, 12)}`;
}

/**
 * Azure's filter list for one policy. Each filter goes only on the side Azure's catalogue gives it,
 * and the on/off filters carry no severity, the shape of Azure's own example: anything else risks
 * "Resource has invalid content filter".
 */
export function raiContentFilters(policy: ContentFilterPolicyConfig) {
    const harm = (Object.keys(HarmCategories) as HarmCategory[]).flatMap((category) =>
        (["Prompt", "Completion"] as const).map((source) => {
            const threshold = policy.harm[category][source === "Prompt" ? "prompt" : "completion"];
            const on = threshold !== "off";
            return { name: HarmCategories[category], source, enabled: on, blocking: on, ...(on ? { severityThreshold: threshold } : {}) };
        }),
    );
    const binary = Object.entries(BinaryFilters).map(([key, spec]) => {
        const on = policy.filters[key as keyof typeof BinaryFilters];
        return { name: spec.name, source: spec.source, enabled: on, blocking: on };
    });
    return [...harm, ...binary];
}

/**
 * Creates blocklists, their items and the policies as children of the account, one write after
 * another, and returns them in that order. Writes on one account conflict (409), and a policy must
 * come after the blocklists it names; the deployments that name a policy come after all of them.
 */
export function createContentFilters(name: string, args: ContentFiltersArgs, parent: pulumi.Resource): pulumi.Resource[] {
    const chain: pulumi.Resource[] = [];
    const after = () => ({ parent, dependsOn: chain.length ? [chain[chain.length - 1]] : [] });
    const common = { resourceGroupName: args.resourceGroupName, accountName: args.accountName };
    for (const list of args.contentFilters.blocklists) {
        chain.push(
            new cognitiveservices.RaiBlocklist(
                `${name}-blocklist-${list.name}`,
                { ...common, raiBlocklistName: list.name, properties: list.description ? { description: list.description } : {} },
                after(),
            ),
        );
        for (const item of list.items) {
            const itemName = blocklistItemName(item);
            chain.push(
                new cognitiveservices.RaiBlocklistItem(
                    `${name}-blocklist-${list.name}-${itemName}`,
                    { ...common, raiBlocklistName: list.name, raiBlocklistItemName: itemName, properties: { pattern: item.pattern, isRegex: item.regex } },
                    after(),
                ),
            );
        }
    }
    for (const policy of args.contentFilters.policies) {
        chain.push(
            new cognitiveservices.RaiPolicy(
                `${name}-content-filter-${policy.name}`,
                {
                    ...common,
                    raiPolicyName: policy.name,
                    properties: {
                        basePolicyName: policy.basePolicy,
                        mode: policy.mode,
                        contentFilters: raiContentFilters(policy),
                        customBlocklists: policy.blocklists.flatMap((blocklistName) =>
                            (["Prompt", "Completion"] as const).map((source) => ({ blocklistName, blocking: true, source })),
                        ),
                    },
                },
                after(),
            ),
        );
    }
    return chain;
}
