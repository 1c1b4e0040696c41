import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import type { AlertRule } from "./alertRules";

export interface AccountAlertsArgs {
    /** Required. Resource group for the action group and the alerts. */
    resourceGroupName: pulumi.Input<string>;
    /** Required. The account's resource id: the scope of every alert. */
    accountId: pulumi.Input<string>;
    /** Required. The action group to create (name, short name, e-mail receivers, optional webhook, a secret), or the id of one another region's alerts created. */
    actionGroup: { name: string; shortName: string; emails: string[]; webhookUrl?: string } | { id: pulumi.Input<string> };
    /** Required. The rules (alertRules.ts), each one metric alert. */
    rules: AlertRule[];
    /** Required. Prefix of every alert's Azure name. */
    alertNamePrefix: string;
    /** Required. Tags for the action group and the alerts. */
    tags: Record<string, string>;
}

/** One metric alert per rule on the account, routed to an action group it creates or is given. */
export class AccountAlerts extends pulumi.ComponentResource {
    public readonly actionGroupId: pulumi.Output<string>;

    constructor(name: string, args: AccountAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aoai:platform:AccountAlerts", name, {}, opts);
        const spec = args.actionGroup;
        this.actionGroupId =
            "id" in spec
                ? pulumi.output(spec.id)
                : new monitor.ActionGroup(
                      `${name}-action-group`,
                      {
                          resourceGroupName: args.resourceGroupName,
                          actionGroupName: spec.name,
                          groupShortName: spec.shortName,
                          location: "global",
                          enabled: true,
                          emailReceivers: spec.emails.map((emailAddress, i) => ({ name: `email-${i + 1}`, emailAddress, useCommonAlertSchema: true })),
                          // The URL usually carries a token: a Pulumi secret, encrypted in state, "[secret]" in the plan.
                          ...(spec.webhookUrl ? { webhookReceivers: [{ name: "webhook", serviceUri: pulumi.secret(spec.webhookUrl), useCommonAlertSchema: true }] } : {}),
                          tags: args.tags,
                      },
                      { parent: this },
                  ).id;
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
                    actions: [{ actionGroupId: this.actionGroupId }],
                    tags: args.tags,
                },
                { parent: this },
            );
        }
        this.registerOutputs({ actionGroupId: this.actionGroupId });
    }
}
