/**
 * The metric alerts of an account, as data computed from the stack: pure, so the thresholds can be
 * read in the plan and tested without Pulumi. Metric names and dimensions are Azure Monitor's for
 * Microsoft.CognitiveServices/accounts (PT1M grain).
 */
import type { AlertsConfig } from "./alerts.config";
import type { ModelDeploymentConfig } from "../deployments/deployments.config";

export interface AlertRule {
    /** Stable suffix for names; never an index, so reordering deployments replaces nothing. */
    key: string;
    /** What it watches and the threshold in the stack's units; shown on the alert and in the plan. */
    description: string;
    severity: 0 | 1 | 2 | 3 | 4;
    metricName: string;
    operator: "GreaterThan" | "LessThan";
    threshold: number;
    timeAggregation: "Total" | "Average";
    windowSize: "PT1M" | "PT5M";
    dimensions: { name: string; operator: "Include"; values: string[] }[];
}

/**
 * The StatusCode value Azure Monitor records for throttled answers. The metric reference documents the
 * dimension but not its values; "429" is what the alert filters on until a live account shows
 * otherwise (docs/configuration.md: "Verify after the first deploy").
 */
export const ThrottledStatusCode = "429";

/** Tokens per minute one unit of standard capacity allows. */
const TokensPerCapacityUnit = 1000;

const isProvisioned = (d: ModelDeploymentConfig) => d.sku.includes("Provisioned");
const thousands = (n: number) => n.toLocaleString("en-US");

export function alertRules(alerts: AlertsConfig, deployments: readonly ModelDeploymentConfig[]): AlertRule[] {
    const share = alerts.quotaSaturationPercent;
    const saturation = deployments.map((d): AlertRule => {
        const only = [{ name: "ModelDeploymentName", operator: "Include" as const, values: [d.name] }];
        if (isProvisioned(d)) {
            return {
                key: `saturation-${d.name}`, severity: 2, metricName: "AzureOpenAIProvisionedManagedUtilizationV2", operator: "GreaterThan", threshold: share,
                timeAggregation: "Average", windowSize: "PT5M", dimensions: only,
                description: `${d.name}: provisioned utilisation above ${share}% of ${d.capacity} PTU (at 100% calls get 429)`,
            };
        }
        const tokens = d.capacity * TokensPerCapacityUnit;
        const threshold = Math.floor((tokens * share) / 100);
        return {
            key: `saturation-${d.name}`, severity: 2, metricName: "TokenTransaction", operator: "GreaterThan", threshold,
            timeAggregation: "Total", windowSize: "PT1M", dimensions: only,
            description: `${d.name}: ${share}% of ${thousands(d.capacity)}K TPM = ${thousands(threshold)} tokens/min`,
        };
    });
    return [
        ...saturation,
        {
            key: "throttling", severity: 2, metricName: "AzureOpenAIRequests", operator: "GreaterThan", threshold: alerts.throttledRequests,
            timeAggregation: "Total", windowSize: "PT5M", dimensions: [{ name: "StatusCode", operator: "Include", values: [ThrottledStatusCode] }],
            description: `more than ${alerts.throttledRequests} requests answered 429 in 5 minutes`,
        },
        {
            key: "availability", severity: 1, metricName: "AzureOpenAIAvailabilityRate", operator: "LessThan", threshold: alerts.availabilityFloorPercent,
            timeAggregation: "Average", windowSize: "PT5M", dimensions: [],
            description: `availability (answers without a 5xx) below ${alerts.availabilityFloorPercent}% over 5 minutes`,
        },
        {
            key: "latency", severity: 3, metricName: "AzureOpenAITimeToResponse", operator: "GreaterThan", threshold: alerts.latencyCeilingMs,
            timeAggregation: "Average", windowSize: "PT5M", dimensions: [],
            description: `average time to response above ${thousands(alerts.latencyCeilingMs)} ms over 5 minutes`,
        },
        ...(alerts.contentFilterRejections === undefined
            ? []
            : [{
                  key: "content-filter", severity: 3, metricName: "RAIRejectedRequests", operator: "GreaterThan", threshold: alerts.contentFilterRejections,
                  timeAggregation: "Total", windowSize: "PT5M", dimensions: [],
                  description: `more than ${alerts.contentFilterRejections} requests blocked by the content filter in 5 minutes`,
              } satisfies AlertRule]),
    ];
}
