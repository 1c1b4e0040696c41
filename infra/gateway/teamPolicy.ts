/**
 * The teams' part of the gateway's policy: which team a caller is, whether it may call the deployment
 * it names, its token limits and its usage metrics. Generated per team because `llm-token-limit`
 * takes no policy expression for its numbers (Learn, llm-token-limit policy); each team gets a branch.
 */
import { TeamConfig } from "./teams.config";

/** The policy variables the fragments share. */
export const TeamVariable = "team";
export const DeploymentVariable = "deployment";

/** Where each team's usage is counted in Application Insights (customMetrics, or AppMetrics in the workspace). */
export const UsageMetricNamespace = "aoai-gateway";
/** The remaining-token headers the gateway adds to each answer of a limited team. */
export const RemainingTokensHeader = "x-gateway-remaining-tokens";
export const RemainingQuotaHeader = "x-gateway-remaining-quota-tokens";

export function xml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A C# string literal for a policy expression; names are checked by the config, so this only guards the quotes. */
function cs(text: string): string {
    return JSON.stringify(text);
}

const teamIs = (team: string) => xml(`@((string)context.Variables["${TeamVariable}"] == ${cs(team)})`);

/** The team of a caller with a validated Entra token (variable `caller-token`): the first team whose application or group it carries, else "". */
export function teamFromTokenExpression(teams: readonly TeamConfig[]): string {
    const lines = [
        `var token = (Jwt)context.Variables["caller-token"];`,
        // v2.0 tokens name the calling application in azp, v1.0 tokens in appid.
        `var app = token.Claims.GetValueOrDefault("azp", token.Claims.GetValueOrDefault("appid", ""));`,
        `var groups = token.Claims.ContainsKey("groups") ? token.Claims["groups"] : new string[0];`,
    ];
    for (const team of teams) {
        const r = team.recognisedBy;
        if (r.kind === "applications") lines.push(`if (${r.clientIds.map((id) => `app == ${cs(id)}`).join(" || ")}) { return ${cs(team.name)}; }`);
        if (r.kind === "groups") lines.push(`if (${r.groupIds.map((id) => `groups.Contains(${cs(id)})`).join(" || ")}) { return ${cs(team.name)}; }`);
    }
    lines.push(`return "";`);
    return `@{ ${lines.join(" ")} }`;
}

/** The deployment a call names: the path's deployment-id (dated APIs), else the body's model (v1 and Responses), else "". */
export const DeploymentExpression =
    `@{ var id = context.Request.MatchedParameters.GetValueOrDefault("deployment-id", ""); if (id != "") { return id; } ` +
    `var body = context.Request.Method == "POST" ? context.Request.Body?.As<JObject>(preserveContent: true) : null; ` +
    `return body?["model"]?.ToString() ?? ""; }`;

function refusal(status: number, code: string, messageExpression: string): string[] {
    return [
        `            <return-response>`,
        `                <set-status code="${status}" reason="Forbidden" />`,
        `                <set-header name="Content-Type" exists-action="override"><value>application/json</value></set-header>`,
        `                <set-body>${xml(`@(new JObject(new JProperty("error", new JObject(new JProperty("code", ${cs(code)}), new JProperty("message", ${messageExpression})))).ToString())`)}</set-body>`,
        `            </return-response>`,
    ];
}

/** Refuses callers in no team, and a team's call to a deployment not in its list, each with a 403 that says why. */
export function teamGateLines(teams: readonly TeamConfig[]): string[] {
    const allowed = teams.map((t) => `(team == ${cs(t.name)} && new[] { ${t.deployments.map(cs).join(", ")} }.Contains(deployment))`).join(" || ");
    return [
        `        <set-variable name="${DeploymentVariable}" value="${xml(DeploymentExpression)}" />`,
        `        <choose>`,
        `            <when condition="${xml(`@((string)context.Variables["${TeamVariable}"] == "")`)}">`,
        ...refusal(403, "UnknownCaller", cs("The caller belongs to no team of this gateway; ask the platform team to add its application, group or subscription")).map((l) => `    ${l}`),
        `            </when>`,
        `            <when condition="${xml(`@{ var team = (string)context.Variables["${TeamVariable}"]; var deployment = (string)context.Variables["${DeploymentVariable}"]; return deployment != "" && !(${allowed}); }`)}">`,
        ...refusal(403, "DeploymentNotAllowed", `"Team " + (string)context.Variables["${TeamVariable}"] + " may not call deployment " + (string)context.Variables["${DeploymentVariable}"]`).map((l) => `    ${l}`),
        `            </when>`,
        `        </choose>`,
    ];
}

/** One llm-token-limit per limited team, on its own counter; a team without limits is only metered. */
export function teamLimitLines(teams: readonly TeamConfig[]): string[] {
    const limited = teams.filter((t) => t.tokensPerMinute !== undefined || t.tokenQuota !== undefined);
    if (limited.length === 0) return [];
    return [
        `        <choose>`,
        ...limited.flatMap((t) => [
            `            <when condition="${teamIs(t.name)}">`,
            `                <llm-token-limit counter-key="team-${xml(t.name)}"` +
                (t.tokensPerMinute !== undefined ? ` tokens-per-minute="${t.tokensPerMinute}"` : "") +
                (t.tokenQuota !== undefined ? ` token-quota="${t.tokenQuota}" token-quota-period="${t.tokenQuotaPeriod}"` : "") +
                ` estimate-prompt-tokens="true"` +
                (t.tokenQuota !== undefined ? ` remaining-quota-tokens-header-name="${RemainingQuotaHeader}"` : "") +
                (t.tokensPerMinute !== undefined ? ` remaining-tokens-header-name="${RemainingTokensHeader}"` : "") +
                ` />`,
            `            </when>`,
        ]),
        `        </choose>`,
    ];
}

/** Tokens per team, deployment and model (at most five custom dimensions are allowed; three are used). */
export function usageMetricLines(models: Readonly<Record<string, string>>): string[] {
    const model = `@{ var d = (string)context.Variables["${DeploymentVariable}"]; ${Object.entries(models).map(([d, m]) => `if (d == ${cs(d)}) { return ${cs(m)}; }`).join(" ")} return "unknown"; }`;
    return [
        `        <llm-emit-token-metric namespace="${UsageMetricNamespace}">`,
        `            <dimension name="Team" value="${xml(`@((string)context.Variables["${TeamVariable}"])`)}" />`,
        `            <dimension name="Deployment" value="${xml(`@((string)context.Variables["${DeploymentVariable}"])`)}" />`,
        `            <dimension name="Model" value="${xml(model)}" />`,
        `        </llm-emit-token-metric>`,
    ];
}

/** One team as a generated policy states it: for the readable plan and the policy pack, which read what Azure gets. */
export interface TeamInPolicy {
    name: string;
    /** `applications <ids>`, `groups <ids>` or `subscription (product team-<name>)`. */
    recognisedBy: string;
    deployments: string[];
    tokensPerMinute?: number;
    tokenQuota?: number;
    tokenQuotaPeriod?: string;
}

const unquote = (text: string) => [...text.matchAll(/&quot;([^&]*)&quot;/g)].map((m) => m[1]);

/** The teams of a policy this file generated, in its order; none for a policy without teams. */
export function teamsInPolicy(xml: string): TeamInPolicy[] {
    const teams = new Map<string, TeamInPolicy>();
    for (const [, condition, name] of xml.matchAll(/if \((.*?)\) \{ return &quot;([a-z][a-z0-9-]*)&quot;; \}/g)) {
        teams.set(name, { name, recognisedBy: `${condition.startsWith("app ==") ? "applications" : "groups"} ${unquote(condition).join(", ")}`, deployments: [] });
    }
    const products = /new\[\] \{ ([^}]*) \}\.Contains\(context\.Product\.Id\)/.exec(xml)?.[1] ?? "";
    for (const product of unquote(products)) {
        const name = product.slice("team-".length);
        teams.set(name, { name, recognisedBy: `subscription (product ${product})`, deployments: [] });
    }
    for (const [, name, list] of xml.matchAll(/\(team == &quot;([a-z0-9-]+)&quot; &amp;&amp; new\[\] \{ ([^}]*) \}\.Contains\(deployment\)\)/g)) {
        const team = teams.get(name);
        if (team) team.deployments = unquote(list);
    }
    for (const [, name, attributes] of xml.matchAll(/<llm-token-limit counter-key="team-([a-z0-9-]+)"([^>]*)\/>/g)) {
        const team = teams.get(name);
        const attribute = (a: string) => new RegExp(` ${a}="([^"]+)"`).exec(attributes)?.[1];
        if (!team) continue;
        if (attribute("tokens-per-minute")) team.tokensPerMinute = Number(attribute("tokens-per-minute"));
        if (attribute("token-quota")) {
            team.tokenQuota = Number(attribute("token-quota"));
            team.tokenQuotaPeriod = attribute("token-quota-period");
        }
    }
    return [...teams.values()];
}
