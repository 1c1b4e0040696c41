import * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import { AccountAccess } from "../access/access";
import { UsageMetricNamespace } from "./teamPolicy";

export interface GatewayUsageArgs {
    /** Required. Resource group of the Application Insights component. */
    resourceGroupName: pulumi.Input<string>;
    /** Required. The gateway's region. */
    location: string;
    /** Required. The gateway service, whose identity sends the metrics. */
    service: apimanagement.ApiManagementService;
    /** Required. The API whose calls are metered. */
    apiName: pulumi.Input<string>;
    /** Required. The environment's Log Analytics workspace, where the component keeps its data and the gateway its logs. */
    workspaceId: pulumi.Input<string>;
    /** Required. The component's name. */
    names: { insights: string };
    /** Required. The component's id known ahead of creation; seeds the role assignment's name. */
    insightsIdForNaming: pulumi.Input<string>;
    /** Required. Subscription the role definition is read from. */
    subscriptionId: pulumi.Input<string>;
    /** Optional. Defaults to none: the query shows tokens only. Price of a million tokens per model. */
    pricePerMillionTokens: Readonly<Record<string, number>>;
    /** Required. Tags for the component. */
    tags: Record<string, string>;
}

/** The chargeback query's name in the workspace, and the function alias it can be called by. */
export const ChargebackFunction = "aoai_gateway_chargeback";

/**
 * Tokens per team, per model, per day, priced: over the custom metrics the gateway emits (workspace-based
 * Application Insights keeps them in AppMetrics, their dimensions in Properties).
 */
export function chargebackQuery(prices: Readonly<Record<string, number>>): string {
    const rows = Object.entries(prices).map(([model, price]) => `    ${JSON.stringify(model)}, ${price}`);
    return [
        `let prices = datatable(Model: string, PricePerMillionTokens: real) [`,
        ...(rows.length ? [rows.join(",\n")] : []),
        `];`,
        `AppMetrics`,
        `| where Name == "Total Tokens" and tostring(Properties["Team"]) != ""`,
        `| extend Team = tostring(Properties["Team"]), Model = tostring(Properties["Model"])`,
        `| summarize Tokens = sum(Sum) by Day = startofday(TimeGenerated), Team, Model`,
        `| join kind=leftouter prices on Model`,
        `| extend Cost = round(Tokens / 1000000.0 * PricePerMillionTokens, 4)`,
        `| project Day, Team, Model, Tokens, Cost`,
        `| order by Day desc, Team asc, Model asc`,
    ].join("\n");
}

/** `/subscriptions/.../resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>` → its group and name. */
export function workspaceParts(id: string): { resourceGroupName: string; workspaceName: string } {
    const match = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.OperationalInsights\/workspaces\/([^/]+)$/i.exec(id);
    if (!match) throw new Error(`${id} is not a Log Analytics workspace id`);
    return { resourceGroupName: match[1], workspaceName: match[2] };
}

/**
 * Where the gateway's usage goes, for chargeback: an Application Insights component in the workspace
 * (local auth off; the gateway sends with its identity, which gets Monitoring Metrics Publisher), the
 * gateway's logger and its API's diagnostic with custom metrics on (what llm-emit-token-metric needs),
 * and the chargeback query saved in the workspace. The gateway's own logs go to the workspace with or
 * without teams (gatewayLogs below).
 */
export class GatewayUsage extends pulumi.ComponentResource {
    constructor(name: string, args: GatewayUsageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aoai:platform:GatewayUsage", name, {}, opts);
        const service = { resourceGroupName: args.resourceGroupName, serviceName: args.service.name };
        const insights = new applicationinsights.Component(
            `${name}-insights`,
            {
                resourceGroupName: args.resourceGroupName,
                resourceName: args.names.insights,
                location: args.location,
                kind: "other",
                applicationType: applicationinsights.ApplicationType.Other,
                workspaceResourceId: args.workspaceId,
                ingestionMode: applicationinsights.IngestionMode.LogAnalytics,
                disableLocalAuth: true,
                tags: args.tags,
            },
            { parent: this },
        );
        const publisher = new AccountAccess(
            `${name}-publisher`,
            {
                subscriptionId: args.subscriptionId,
                scopeId: insights.id,
                scopeIdForNaming: args.insightsIdForNaming,
                scopeDescription: "the gateway's Application Insights",
                grants: [
                    {
                        key: "metrics-publisher",
                        principalId: args.service.identity.apply((identity) => identity!.principalId),
                        principalType: "ServicePrincipal",
                        role: "Monitoring Metrics Publisher",
                        description: "Lets the API Management gateway send its usage metrics (managed by Pulumi)",
                    },
                ],
            },
            { parent: this },
        );
        const logger = new apimanagement.Logger(
            `${name}-logger`,
            {
                ...service,
                loggerId: "usage-insights",
                loggerType: apimanagement.LoggerType.ApplicationInsights,
                resourceId: insights.id,
                // The connection string names the component; the gateway's identity authenticates.
                credentials: { connectionString: insights.connectionString, identityClientId: "SystemAssigned" },
            },
            { parent: this, dependsOn: [publisher] },
        );
        new apimanagement.ApiDiagnostic(
            `${name}-api-diagnostic`,
            {
                ...service,
                apiId: args.apiName,
                diagnosticId: "applicationinsights",
                loggerId: logger.id,
                // Custom metrics with dimensions: llm-emit-token-metric sends nothing without it.
                metrics: true,
                alwaysLog: apimanagement.AlwaysLog.AllErrors,
                verbosity: apimanagement.Verbosity.Error,
                sampling: { samplingType: apimanagement.SamplingType.Fixed, percentage: 100 },
            },
            { parent: this },
        );
        const workspace = pulumi.output(args.workspaceId).apply(workspaceParts);
        new operationalinsights.SavedSearch(
            `${name}-chargeback`,
            {
                resourceGroupName: workspace.resourceGroupName,
                workspaceName: workspace.workspaceName,
                savedSearchId: ChargebackFunction,
                category: "Azure OpenAI gateway",
                displayName: "Tokens per team per model per day (chargeback)",
                functionAlias: ChargebackFunction,
                query: chargebackQuery(args.pricePerMillionTokens),
            },
            { parent: this, dependsOn: [insights] },
        );
        this.registerOutputs({ metricNamespace: UsageMetricNamespace });
    }
}

/**
 * The gateway's own logs to the workspace, LLM logs included, in resource-specific tables
 * (ApiManagementGatewayLogs, ApiManagementGatewayLlmLog): with or without teams, a gateway's calls are
 * evidence a review and the benchmark ask for.
 */
export function gatewayLogs(name: string, args: { serviceId: pulumi.Input<string>; workspaceId: pulumi.Input<string>; settingName: string }, parent: pulumi.Resource): monitor.DiagnosticSetting {
    return new monitor.DiagnosticSetting(
        name,
        {
            name: args.settingName,
            resourceUri: args.serviceId,
            workspaceId: args.workspaceId,
            logAnalyticsDestinationType: "Dedicated",
            logs: [
                { category: "GatewayLogs", enabled: true },
                { category: "GatewayLlmLogs", enabled: true },
            ],
            metrics: [{ category: "AllMetrics", enabled: true }],
        },
        { parent },
    );
}
