/** The operations guardrail: someone is told about money, quota and throttling. */
import * as monitor from "@pulumi/azure-native/monitor";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { RequiredSwitch, accountNameOf, accounts, deploymentsOf, isRequired, pointsAtAccount } from "./accounts";

/** A metric alert's first criterion, whichever criteria type it uses. */
function criterionOf(alert: PolicyResource): { metricName?: string; dimensions?: { name: string; values: string[] }[] } {
    return alert.props.criteria?.allOf?.[0] ?? {};
}

export const operations: StackValidationPolicy = {
    name: "openai-operations",
    description:
        "Pitfall: an environment nobody is told about. Where a stack's policy configuration sets required (prod, staging), it has a Cost Management budget, an action group with at least one receiver, a quota-saturation alert for every deployment and a throttling (429) alert on the account.",
    enforcementLevel: "advisory",
    configSchema: RequiredSwitch,
    validateStack: (args, reportViolation) => {
        // Alerts and budgets are off in dev unless its stack turns them on; nothing to advise there.
        if (!isRequired(args)) return;
        const budgets = args.resources.filter((r) => r.type === "azure-native:consumption:Budget");
        const groups = args.resources.filter((r) => r.isType(monitor.ActionGroup));
        const alerts = args.resources.filter((r) => r.isType(monitor.MetricAlert));
        for (const account of accounts(args.resources)) {
            const name = accountNameOf(account);
            const own = alerts.filter((a) => (a.props.scopes ?? []).some((s: unknown) => pointsAtAccount(s, name)));
            if (budgets.length === 0) reportViolation(`Stack has no budget for account ${name}; set aoai:budget.`, account.urn);
            if (!groups.some((g) => (g.props.emailReceivers ?? []).length + (g.props.webhookReceivers ?? []).length > 0)) {
                reportViolation(`Stack has no action group with a receiver; set aoai:alerts.actionGroup.emails.`, account.urn);
            }
            for (const d of deploymentsOf(args.resources, name)) {
                const watched = own.some((a) => {
                    const c = criterionOf(a);
                    return ["TokenTransaction", "AzureOpenAIProvisionedManagedUtilizationV2"].includes(String(c.metricName)) &&
                        (c.dimensions ?? []).some((dim) => dim.name === "ModelDeploymentName" && dim.values.includes(String(d.props.deploymentName)));
                });
                if (!watched) reportViolation(`Deployment ${d.props.deploymentName} has no quota-saturation alert; set aoai:alerts.`, account.urn);
            }
            if (!own.some((a) => criterionOf(a).metricName === "AzureOpenAIRequests" && (criterionOf(a).dimensions ?? []).some((dim) => dim.name === "StatusCode"))) {
                reportViolation(`Account ${name} has no throttling (429) alert; set aoai:alerts.`, account.urn);
            }
        }
    },
};
