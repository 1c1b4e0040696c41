/**
 * The gateway's API policy, generated from the stack: who may call (an Entra ID token for the
 * gateway's audience, with one of its roles; with teams, a caller placed in a team), what each team
 * may call and use (teamPolicy.ts), how the gateway calls the accounts (its managed identity), where
 * to (the pool, which fails over by priority as breakers trip), how often it tries again, and which
 * region answered.
 */
import { TeamConfig } from "./teams.config";
import { TeamVariable, teamFromTokenExpression, teamGateLines, teamLimitLines, usageMetricLines, xml } from "./teamPolicy";

export interface GatewayPolicyOptions {
    /** The Entra tenant callers' tokens come from. */
    tenantId: string;
    /** The audiences a caller's token may carry: v1.0 tokens name the Application ID URI, v2.0 tokens the client id. */
    audiences: readonly string[];
    /** App roles a caller must hold one of; none means any token for the audience. */
    roles: readonly string[];
    /** The pool backend's id. */
    poolBackendId: string;
    /** Retries of a 429 or 5xx; each goes back to the pool, which skips a backend whose breaker tripped. */
    retries: number;
    /** Optional. Defaults to none: any caller with a valid token, unlimited and unmetered. */
    teams?: readonly TeamConfig[];
    /** The model behind each deployment name, for the usage metrics' Model dimension (with teams). */
    models?: Readonly<Record<string, string>>;
}

/** The audience of the token the gateway fetches with its managed identity for the accounts. */
export const CognitiveServicesResource = "https://cognitiveservices.azure.com";

/** The products of teams recognised by subscription: `team-<name>`. */
export const teamProductId = (team: string) => `team-${team}`;

export function gatewayPolicyXml(o: GatewayPolicyOptions): string {
    const teams = o.teams ?? [];
    const token = (indent: string) => [
        `<validate-azure-ad-token tenant-id="${xml(o.tenantId)}" header-name="Authorization" failed-validation-httpcode="401" failed-validation-error-message="An Entra ID token for ${xml(o.audiences[0])} is required"${teams.length ? ` output-token-variable-name="caller-token"` : ""}>`,
        `    <audiences>`,
        ...o.audiences.map((audience) => `        <audience>${xml(audience)}</audience>`),
        `    </audiences>`,
        ...(o.roles.length ? [`    <required-claims>`, `        <claim name="roles" match="any">`, ...o.roles.map((role) => `            <value>${xml(role)}</value>`), `        </claim>`, `    </required-claims>`] : []),
        `</validate-azure-ad-token>`,
        ...(teams.length ? [`<set-variable name="${TeamVariable}" value="${xml(teamFromTokenExpression(teams))}" />`] : []),
    ].map((l) => indent + l);
    const products = teams.filter((t) => t.recognisedBy.kind === "subscription").map((t) => teamProductId(t.name));
    // A team without Entra comes with its product's subscription key instead of a token.
    const caller = products.length
        ? [
              `        <choose>`,
              `            <when condition="${xml(`@(context.Product != null && new[] { ${products.map((p) => JSON.stringify(p)).join(", ")} }.Contains(context.Product.Id))`)}">`,
              `                <set-variable name="${TeamVariable}" value="${xml(`@(context.Product.Id.Substring(5))`)}" />`,
              `            </when>`,
              `            <otherwise>`,
              ...token("                "),
              `            </otherwise>`,
              `        </choose>`,
          ]
        : token("        ");
    return [
        `<policies>`,
        `    <inbound>`,
        `        <base />`,
        ...caller,
        ...(teams.length ? [...teamGateLines(teams), ...teamLimitLines(teams), ...usageMetricLines(o.models ?? {})] : []),
        // Replaces the caller's token: the accounts only trust the gateway's own identity.
        `        <authentication-managed-identity resource="${CognitiveServicesResource}" />`,
        `        <set-backend-service backend-id="${xml(o.poolBackendId)}" />`,
        `    </inbound>`,
        `    <backend>`,
        // A 429 or 5xx trips that backend's breaker, so the next attempt goes to the next one in the pool.
        `        <retry condition="@(context.Response.StatusCode == 429 || context.Response.StatusCode &gt;= 500)" count="${o.retries}" interval="0" first-fast-retry="true">`,
        `            <forward-request buffer-request-body="true" />`,
        `        </retry>`,
        `    </backend>`,
        `    <outbound>`,
        `        <base />`,
        // The region that answered, for callers and for the post-deploy probe.
        `        <set-header name="x-ms-region" exists-action="override">`,
        `            <value>@(context.Response.Headers.GetValueOrDefault("x-ms-region", "unknown"))</value>`,
        `        </set-header>`,
        `    </outbound>`,
        `    <on-error>`,
        `        <base />`,
        `    </on-error>`,
        `</policies>`,
    ].join("\n");
}
