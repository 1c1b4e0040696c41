import * as pulumi from "@pulumi/pulumi";
import * as consumption from "@pulumi/azure-native/consumption";
import type { BudgetConfig } from "./budget.config";

export interface EnvironmentBudgetArgs {
    /** Required. The environment's resource group id: the budget's scope. */
    resourceGroupId: pulumi.Input<string>;
    /** Required. Azure name of the budget. */
    budgetName: string;
    /** Required. Amount, start, recipients and thresholds from the stack. */
    budget: BudgetConfig;
    /** Optional. Defaults to none. An action group told alongside the e-mails. */
    actionGroupId?: pulumi.Input<string>;
}

/** A monthly Cost Management budget on the resource group, with actual and forecast notifications. */
export class EnvironmentBudget extends pulumi.ComponentResource {
    constructor(name: string, args: EnvironmentBudgetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aoai:platform:EnvironmentBudget", name, {}, opts);
        const { budget } = args;
        new consumption.Budget(
            `${name}-monthly`,
            {
                scope: args.resourceGroupId,
                budgetName: args.budgetName,
                amount: budget.amount,
                category: consumption.CategoryType.Cost,
                timeGrain: consumption.TimeGrainType.Monthly,
                timePeriod: { startDate: `${budget.startDate}T00:00:00Z` },
                notifications: Object.fromEntries(
                    budget.notifications.map((n) => [
                        `${n.kind.toLowerCase()}-${n.threshold}`,
                        {
                            enabled: true,
                            operator: consumption.OperatorType.GreaterThan,
                            threshold: n.threshold,
                            thresholdType: n.kind,
                            contactEmails: budget.contactEmails,
                            ...(args.actionGroupId ? { contactGroups: [args.actionGroupId] } : {}),
                        },
                    ]),
                ),
            },
            // Azure refuses to move an existing budget's start, and the default start is the month of the
            // create: after that, the start Azure has is the one every update sends (budget.config.ts).
            { parent: this, ignoreChanges: ["timePeriod.startDate"] },
        );
        this.registerOutputs({});
    }
}
