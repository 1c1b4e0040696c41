import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import type { AlertRule } from "./alertRules";

export interface AccountAlertsArgs {
    /** Required. Resource group for the action group and the alerts. */
    resourceGroupName: pulumi.Input<string>;
    /** Required. The account's resource id: the scope of every alert. */
    accountId: pulumi.Input<string>;
    /** Required. The action group's name, short name, e-mail receivers and optional webhook (a secret). */
    actionGroup: { name: string; shortName: string; emails: string[]; webhookUrl?: string };
    /** Required. The rules (alertRules.ts), each one metric alert. */
    rules: AlertRule[];
    /** Required. Prefix of every alert's Azure name. */
    alertNamePrefix: string;
    /** Required. Tags for the action group and the alerts. */
    tags: Record<string, string>;
}

/** An action group and one metric alert per rule on the account, all routed to it. */
export class AccountAlerts extends pulumi.ComponentResource {
    public readonly actionGroupId: pulumi.Output<string>;

    constructor(name: string, args: AccountAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aoai:platform:AccountAlerts", name, {}, opts);
        const group = new monitor.ActionGroup(
            `${name}-action-group`,
            {
                resourceGroupName: args.resourceGroupName,
                actionGroupName: args.actionGroup.name,
                groupShortName: args.actionGroup.shortName,
                location: "global",
                enabled: true,
                emailReceivers: args.actionGroup.emails.map((emailAddress, i) => ({ name: `email-${i + 1}`, emailAddress, useCommonAlertSchema: true })),
                // The URL usually carries a token: a Pulumi secret, encrypted in state, "[secret]" in the plan.
                ...(args.actionGroup.webhookUrl
                    ? { webhookReceivers: [{ name: "webhook", serviceUri: pulumi.secret(args.actionGroup.webhookUrl), useCommonAlertSchema: true }] }
                    : {}),
                tags: args.tags,
            },
            { parent: this },
        );
        this.actionGroupId = group.id;
        for (const rule of args.rules) {
            new monitor.MetricAlert(
                `${name}-${rule.key}`,
                {
                    resourceGroupName: args.resourceGroupName,
                    ruleName: `${args.alertNamePrefix}-${rule.key}`,
                    // Metric alerts are global resources, as Azure Monitor's baseline templates create them.
                    location: "global",
                    description: rule.description,
                    severity: rule.severity,
                    enabled: true,
                    scopes: [args.accountId],
                    evaluationFrequency: "PT1M",
                    windowSize: rule.windowSize,
                    criteria: {
                        odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
                        allOf: [
                            {
                                criterionType: "StaticThresholdCriterion",
                                name: rule.key,
                                metricNamespace: "Microsoft.CognitiveServices/accounts",
                                metricName: rule.metricName,
                                operator: rule.operator,
                                threshold: rule.threshold,
                                timeAggregation: rule.timeAggregation,
                                dimensions: rule.dimensions,
                            },
                        ],
                    },
                    actions: [{ actionGroupId: group.id }],
                    tags: args.tags,
                },
                { parent: this },
            );
        }
        this.registerOutputs({ actionGroupId: this.actionGroupId });
    }
}
