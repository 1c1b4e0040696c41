/**
 * The gateway's API policy, generated from the stack: who may call (an Entra ID token for the
 * gateway's audience, with one of its roles), how the gateway calls the accounts (its managed
 * identity), where to (the pool, which fails over by priority as breakers trip), how often it tries
 * again, and which region answered.
 */

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
}

/** The audience of the token the gateway fetches with its managed identity for the accounts. */
export const CognitiveServicesResource = "https://cognitiveservices.azure.com";

function xml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function gatewayPolicyXml(o: GatewayPolicyOptions): string {
    const roles = o.roles.length
        ? [
              `            <required-claims>`,
              `                <claim name="roles" match="any">`,
              ...o.roles.map((role) => `                    <value>${xml(role)}</value>`),
              `                </claim>`,
              `            </required-claims>`,
          ]
        : [];
    return [
        `<policies>`,
        `    <inbound>`,
        `        <base />`,
        `        <validate-azure-ad-token tenant-id="${xml(o.tenantId)}" header-name="Authorization" failed-validation-httpcode="401" failed-validation-error-message="An Entra ID token for ${xml(o.audiences[0])} is required">`,
        `            <audiences>`,
        ...o.audiences.map((audience) => `                <audience>${xml(audience)}</audience>`),
        `            </audiences>`,
        ...roles,
        `        </validate-azure-ad-token>`,
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
