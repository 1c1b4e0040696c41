/**
 * Governance at the gateway: each team recognised, held to its deployments and its limits, and metered
 * by team, deployment and model, on every Azure OpenAI path the gateway routes. The policy is checked as
 * the XML API Management receives; prod's committed plan shows the usage resources it needs.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DOMParser } from "@xmldom/xmldom";
import { gatewayPolicyXml } from "../infra/gateway/gatewayPolicy";
import { teamsInPolicy } from "../infra/gateway/teamPolicy";
import { azureMocks } from "../tools/plan/azureMocks";
import { renderPlan } from "../tools/plan/offlinePlan";
import { readStackFile } from "../tools/plan/stackFile";
import { GatewayOperations } from "../infra/gateway/operations";
import { TeamConfig, TeamFields } from "../infra/gateway/teams.config";
import { readFileSync } from "fs";
import * as path from "path";
import { RepoRoot } from "../tools/repo";
import { GatewaySkus } from "../infra/gateway/gateway.config";
import { ConfigError, parseStackConfig } from "../infra/config";
import { chargebackQuery, workspaceParts } from "../infra/gateway/gatewayUsage";
import { committedPlan, committedText, byType } from "./helpers";

const support: TeamConfig = { name: "support", recognisedBy: { kind: "applications", clientIds: ["5b0e3c1a-8f2d-4c6e-9a7b-1d3e5f7a9c2b"] }, deployments: ["chat", "chat-mini"], tokensPerMinute: 40000, tokenQuota: 200000000, tokenQuotaPeriod: "Monthly" };
const analytics: TeamConfig = { name: "analytics", recognisedBy: { kind: "groups", groupIds: ["9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d"] }, deployments: ["chat-mini"], tokensPerMinute: 20000, tokenQuotaPeriod: "Monthly" };
const batch: TeamConfig = { name: "batch", recognisedBy: { kind: "subscription" }, deployments: ["chat"], tokenQuota: 1000000, tokenQuotaPeriod: "Daily" };
const base = { tenantId: "t", audiences: ["api://gw", "3f2c8a61-5d4e-4b7a-9c1e-2a6b8d0f4e13"], roles: [], poolBackendId: "openai-pool", retries: 2 };
const models = { chat: "gpt-5.5", "chat-mini": "gpt-5.4-mini" };

/** Well-formed XML, as API Management's parser demands first (the same parser the resilience tests use). */
function assertWellFormed(xml: string): void {
    const errors: string[] = [];
    new DOMParser({ onError: (level, message) => errors.push(`${level}: ${message}`) }).parseFromString(xml, "text/xml");
    assert.deepEqual(errors, []);
}

/** The policy text between two markers, for per-team assertions. */
const branch = (xml: string, team: string) => {
    const start = xml.indexOf(`== &quot;${team}&quot;)">`);
    return xml.slice(start, xml.indexOf("</when>", start));
};

describe("the gateway policy without teams", () => {
    it("accepts v1.0 and v2.0 tokens (the Application ID URI and the client id), and places nobody in a team", () => {
        const xml = gatewayPolicyXml(base);
        assert.match(xml, /<audience>api:\/\/gw<\/audience>\s*<audience>3f2c8a61-5d4e-4b7a-9c1e-2a6b8d0f4e13<\/audience>/);
        assert.doesNotMatch(xml, /llm-token-limit|llm-emit-token-metric|UnknownCaller|output-token-variable-name/);
        assertWellFormed(xml);
    });
});

describe("the gateway policy with teams", () => {
    const xml = gatewayPolicyXml({ ...base, teams: [support, analytics, batch], models });

    it("places a caller by its application (azp or appid) or its group, and refuses everyone else with 403 UnknownCaller", () => {
        assert.match(xml, /output-token-variable-name="caller-token"/);
        assert.match(xml, /GetValueOrDefault\(&quot;azp&quot;, token\.Claims\.GetValueOrDefault\(&quot;appid&quot;/);
        assert.match(xml, /if \(app == &quot;5b0e3c1a-8f2d-4c6e-9a7b-1d3e5f7a9c2b&quot;\) \{ return &quot;support&quot;; \}/);
        assert.match(xml, /if \(groups\.Contains\(&quot;9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d&quot;\)\) \{ return &quot;analytics&quot;; \}/);
        assert.match(xml, /== &quot;&quot;\)">\s*<return-response>\s*<set-status code="403"[^]*?UnknownCaller/);
        assertWellFormed(xml);
    });

    it("places a team without Entra by its product's subscription, and only the products of such teams", () => {
        assert.match(xml, /new\[\] \{ &quot;team-batch&quot; \}\.Contains\(context\.Product\.Id\)/);
        assert.doesNotMatch(xml, /team-support&quot; \}|team-analytics&quot; \}/);
        // The token is checked only in the other branch: a subscription team sends no token.
        assert.ok(xml.indexOf("<otherwise>") < xml.indexOf("<validate-azure-ad-token"));
        assert.doesNotMatch(gatewayPolicyXml({ ...base, teams: [support], models }), /context\.Product/);
    });

    it("refuses a team's call to a deployment not in its list with 403 DeploymentNotAllowed, naming both", () => {
        assert.match(xml, /team == &quot;support&quot; &amp;&amp; new\[\] \{ &quot;chat&quot;, &quot;chat-mini&quot; \}\.Contains\(deployment\)/);
        assert.match(xml, /team == &quot;analytics&quot; &amp;&amp; new\[\] \{ &quot;chat-mini&quot; \}\.Contains\(deployment\)/);
        assert.match(xml, /DeploymentNotAllowed[^]*?&quot;Team &quot; \+[^]*?&quot; may not call deployment &quot;/);
        // The deployment: from the dated paths' template, else from the v1 and Responses bodies' model.
        assert.match(xml, /MatchedParameters\.GetValueOrDefault\(&quot;deployment-id&quot;[^]*?\[&quot;model&quot;\]/);
    });

    it("gives each limited team its own counter and numbers, with the remaining-token headers", () => {
        const s = branch(xml, "support");
        assert.match(s, /<llm-token-limit counter-key="team-support" tokens-per-minute="40000" token-quota="200000000" token-quota-period="Monthly"/);
        assert.match(s, /remaining-quota-tokens-header-name="x-gateway-remaining-quota-tokens" remaining-tokens-header-name="x-gateway-remaining-tokens"/);
        const a = branch(xml, "analytics");
        assert.match(a, /counter-key="team-analytics" tokens-per-minute="20000" estimate-prompt-tokens="true" remaining-tokens-header-name/);
        assert.doesNotMatch(a, /token-quota/, "no quota given, none set");
        assert.match(branch(xml, "batch"), /counter-key="team-batch" token-quota="1000000" token-quota-period="Daily"/);
        assert.equal([...xml.matchAll(/<llm-token-limit /g)].length, 3);
    });

    it("meters every team by team, deployment and model (three of the five custom dimensions Azure allows)", () => {
        const metric = /<llm-emit-token-metric namespace="aoai-gateway">([^]*?)<\/llm-emit-token-metric>/.exec(xml)?.[1] ?? "";
        assert.deepEqual([...metric.matchAll(/<dimension name="(\w+)"/g)].map((m) => m[1]), ["Team", "Deployment", "Model"]);
        assert.match(metric, /if \(d == &quot;chat&quot;\) \{ return &quot;gpt-5\.5&quot;; \} if \(d == &quot;chat-mini&quot;\) \{ return &quot;gpt-5\.4-mini&quot;; \}/);
    });

    it("retries on the status code (429 or 5xx), never on the status text", () => {
        assert.match(xml, /<retry condition="@\(context\.Response\.StatusCode == 429 \|\| context\.Response\.StatusCode &gt;= 500\)"/);
        assert.doesNotMatch(xml, /StatusReason/);
    });

    it("escapes a team's values so no id can end an attribute", () => {
        const hostile = gatewayPolicyXml({ ...base, teams: [{ ...support, recognisedBy: { kind: "applications", clientIds: ['a"><evil/>'] } }], models });
        assert.doesNotMatch(hostile, /<evil\/>/);
        assertWellFormed(hostile);
    });
});

describe("every Azure OpenAI path through one policy", () => {
    it("routes the dated chat, embeddings and Responses APIs with an api-version, and the v1 API without", () => {
        assert.deepEqual(GatewayOperations.map((o) => `${o.method} ${o.urlTemplate}${o.apiVersion ? "?api-version" : ""}`), [
            "POST /deployments/{deployment-id}/chat/completions?api-version",
            "POST /deployments/{deployment-id}/embeddings?api-version",
            "POST /responses?api-version",
            "POST /v1/chat/completions",
            "POST /v1/responses",
            "POST /v1/embeddings",
            "GET /v1/models",
        ]);
    });

    it("declares each operation on prod's one API, which has the one policy", () => {
        const prod = committedPlan("prod");
        const operations = byType(prod, "azure-native:apimanagement:ApiOperation");
        assert.deepEqual(operations.map((o) => o.inputs.urlTemplate), GatewayOperations.map((o) => o.urlTemplate));
        assert.ok(operations.every((o) => o.inputs.apiId === "azure-openai"));
        assert.equal(byType(prod, "azure-native:apimanagement:ApiPolicy").length, 1);
    });
});

describe("where the usage goes", () => {
    it("prod declares the component (local auth off), the gateway's role on it, the logger by identity, custom metrics on, LLM logs to the workspace and the query", () => {
        const prod = committedPlan("prod");
        const insights = byType(prod, "azure-native:applicationinsights:Component")[0];
        assert.equal(insights.inputs.disableLocalAuth, true);
        assert.match(String(insights.inputs.workspaceResourceId), /\/workspaces\/log-contoso-prod$/);
        assert.ok(byType(prod, "azure-native:authorization:RoleAssignment").some((r) => String(r.inputs.roleDefinitionId).endsWith("/3913510d-42f4-4e42-8a64-420c390055eb") && r.inputs.principalType === "ServicePrincipal"));
        const logger = byType(prod, "azure-native:apimanagement:Logger")[0];
        assert.equal((logger.inputs.credentials as Record<string, string>).identityClientId, "SystemAssigned");
        assert.equal(byType(prod, "azure-native:apimanagement:ApiDiagnostic")[0].inputs.metrics, true);
        const logs = byType(prod, "azure-native:monitor:DiagnosticSetting").find((d) => String(d.inputs.resourceUri).includes("Microsoft.ApiManagement"))!;
        assert.deepEqual((logs.inputs.logs as { category: string }[]).map((l) => l.category), ["GatewayLogs", "GatewayLlmLogs"]);
        assert.equal(logs.inputs.logAnalyticsDestinationType, "Dedicated", "the resource-specific ApiManagementGatewayLlmLog table");
        const search = byType(prod, "azure-native:operationalinsights:SavedSearch")[0];
        assert.equal(search.inputs.workspaceName, "log-contoso-prod");
        assert.match(String(search.inputs.query), /"gpt-5\.5", 5,\n {4}"gpt-5\.4-mini", 0\.6/);
    });

    it("sends a gateway's logs to the workspace without teams too, and adds no usage resources then", async () => {
        // A copy of prod from before teams: the gateway, the workspace, no gateway.teams.
        const plan = await renderPlan("prod", readStackFile(path.join(__dirname, "fixtures", "weakened", "own-dns-zones.yaml")));
        const logs = byType(plan, "azure-native:monitor:DiagnosticSetting").filter((d) => String(d.inputs.resourceUri).includes("Microsoft.ApiManagement"));
        assert.deepEqual(logs.map((l) => (l.inputs.logs as { category: string }[]).map((c) => c.category)), [["GatewayLogs", "GatewayLlmLogs"]]);
        assert.equal(byType(plan, "azure-native:applicationinsights:Component").length, 0);
        assert.doesNotMatch(String(byType(plan, "azure-native:apimanagement:ApiPolicy")[0].inputs.value), /llm-emit-token-metric/);
    });

    it("prices tokens per team, model and day, and lists every model even without a price", () => {
        const query = chargebackQuery({ "gpt-5.5": 5 });
        assert.match(query, /summarize Tokens = sum\(Sum\) by Day = startofday\(TimeGenerated\), Team, Model/);
        assert.match(query, /join kind=leftouter prices on Model/);
        assert.match(chargebackQuery({}), /datatable\(Model: string, PricePerMillionTokens: real\) \[\n\];/);
    });

    it("reads the workspace's group and name from its id, and refuses another id", () => {
        assert.deepEqual(workspaceParts("/subscriptions/s/resourceGroups/rg-a/providers/Microsoft.OperationalInsights/workspaces/log-a"), { resourceGroupName: "rg-a", workspaceName: "log-a" });
        assert.throws(() => workspaceParts("/subscriptions/s/resourceGroups/rg-a"), /not a Log Analytics workspace id/);
    });
});

describe("tiers", () => {
    const stack = (sku: string) => ({
        location: "eastus2", namePrefix: "demo",
        deployments: JSON.stringify([{ name: "chat", model: "gpt-4o-mini", version: "2099-07-18", sku: "Standard", capacity: 5 }]),
        regions: JSON.stringify([{ location: "westus3" }]),
        gateway: JSON.stringify({ publisherEmail: "ops@contoso.com", audience: "api://gw", sku, teams: [{ name: "support", groups: ["9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d"], deployments: ["chat"], tokensPerMinute: 1000 }] }),
    });

    it("refuses the tiers that cannot run the teams' limits, saying why", () => {
        assert.throws(() => parseStackConfig(stack("Consumption"), "t"), (e: unknown) => e instanceof ConfigError && e.problems.some((p) => /^aoai:gateway\.sku: Consumption .*cannot run llm-token-limit/.test(p)));
    });

    it("accepts teams on every tier the stack allows, all of which Learn lists for llm-token-limit", () => {
        // Learn, llm-token-limit policy: Developer, Basic, Basic v2, Standard, Standard v2, Premium, Premium v2.
        const learn = ["Developer", "Basic", "BasicV2", "Standard", "StandardV2", "Premium", "PremiumV2"];
        for (const sku of GatewaySkus) {
            assert.ok(learn.includes(sku), `${sku} runs llm-token-limit`);
            if (sku === "StandardV2" || sku === "PremiumV2") assert.equal(parseStackConfig(stack(sku), "t").gateway?.teams[0].tokensPerMinute, 1000);
        }
    });
});

describe("the teams' reference (docs/governance.md)", () => {
    it("documents exactly the fields a team accepts", () => {
        const doc = readFileSync(path.join(RepoRoot, "docs", "governance.md"), "utf8");
        const start = doc.indexOf("## Each team's fields");
        const table = doc.slice(start, doc.indexOf("\n\n", doc.indexOf("|---|", start)));
        assert.deepEqual([...table.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]), [...TeamFields]);
    });
});

describe("teams in review", () => {
    it("reads back from the policy exactly the teams it was generated from", () => {
        assert.deepEqual(teamsInPolicy(gatewayPolicyXml({ ...base, teams: [support, analytics, batch], models })), [
            { name: "support", recognisedBy: "applications 5b0e3c1a-8f2d-4c6e-9a7b-1d3e5f7a9c2b", deployments: ["chat", "chat-mini"], tokensPerMinute: 40000, tokenQuota: 200000000, tokenQuotaPeriod: "Monthly" },
            { name: "analytics", recognisedBy: "groups 9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d", deployments: ["chat-mini"], tokensPerMinute: 20000 },
            { name: "batch", recognisedBy: "subscription (product team-batch)", deployments: ["chat"], tokenQuota: 1000000, tokenQuotaPeriod: "Daily" },
        ]);
        assert.deepEqual(teamsInPolicy(gatewayPolicyXml(base)), []);
    });

    it("shows prod's teams, their limits and where usage goes in the readable plan", () => {
        const text = committedText("prod");
        assert.match(text, /^Gateway teams \(a caller in no team gets 403 UnknownCaller; another deployment 403 DeploymentNotAllowed\):\n {4}support: by applications 5b0e3c1a-8f2d-4c6e-9a7b-1d3e5f7a9c2b; deployments chat, chat-mini; 40000 tokens\/minute, 200000000 tokens Monthly\n {4}analytics: by groups 9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d; deployments chat-mini; 20000 tokens\/minute, 50000000 tokens Monthly\n {4}platform: by applications 2a7d4f9e-6b1c-4e8a-b3d5-0c9f8e7a6b5d; deployments chat, chat-mini; 1000 tokens\/minute, 1000000 tokens Monthly\n {4}usage: token metrics by Team, Deployment, Model to appi-apim-contoso-prod; LLM logs to log-contoso-prod \(ApiManagementGatewayLlmLog\); chargeback query aoai_gateway_chargeback$/m);
        assert.match(text, /^ {4}open {4}gateway apim-contoso-prod-[0-9a-f]{8} -> workspace log-contoso-prod: Azure Monitor diagnostic setting/m);
    });
});

describe("a resource type the offline plan has no mock for", () => {
    it("is reported, so the render fails instead of dropping what depends on it", () => {
        const missing: string[] = [];
        const mocks = azureMocks(undefined, undefined, undefined, (m) => missing.push(m));
        assert.throws(() => mocks.newResource({ type: "azure-native:storage:StorageAccount", name: "s", inputs: {}, custom: true }), /Mock not implemented for resource type azure-native:storage:StorageAccount/);
        assert.deepEqual(missing, ["Mock not implemented for resource type azure-native:storage:StorageAccount; add it to tools/plan/azureMocks.ts"]);
    });
});
