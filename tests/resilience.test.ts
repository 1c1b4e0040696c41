/**
 * A second region behind a gateway: prod mirrors every deployment into westus3 with its own account,
 * key, roles, diagnostics, alerts and private endpoint; the gateway has a breaker per backend, a pool
 * that prefers the primary, a policy generated from the stack (parsed here as XML), and the outputs the
 * probe reads. The pack and plan-diff guard the failover path.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DOMParser } from "@xmldom/xmldom";
import { gatewayPolicyXml } from "../infra/gateway/gatewayPolicy";
import { evaluatePolicies } from "../tools/review/offlinePolicy";
import { diffPlans } from "../tools/diff/planDiff";
import type { Plan, PlanResource } from "../tools/plan/planModel";
import { byType, committedPlan, committedText, minimalConfig, one, planOf, writeStackFile } from "./helpers";

const prod = committedPlan("prod");
const T = {
    account: "azure-native:cognitiveservices:Account",
    deployment: "azure-native:cognitiveservices:Deployment",
    backend: "azure-native:apimanagement:Backend",
    role: "azure-native:authorization:RoleAssignment",
};
const inputs = (r: PlanResource) => r.inputs as Record<string, any>; // the plan's inputs are Azure's untyped JSON

describe("prod in two regions", () => {
    it("has an account per region, each with the same deployments at its own capacity", async () => {
        const accounts = byType(prod, T.account).map((a) => [inputs(a).accountName, inputs(a).location]);
        assert.deepEqual(accounts, [["oai-contoso-prod", "eastus2"], ["oai-contoso-prod-westus3", "westus3"]]);
        const deployments = byType(prod, T.deployment).map((d) => `${inputs(d).accountName}/${inputs(d).deploymentName}@${inputs(d).properties.model.version}:${inputs(d).sku.capacity}`);
        assert.deepEqual(deployments, [
            "oai-contoso-prod/chat@2026-04-24:100",
            "oai-contoso-prod/chat-mini@2026-03-17:200",
            "oai-contoso-prod-westus3/chat@2026-04-24:50",
            "oai-contoso-prod-westus3/chat-mini@2026-03-17:100",
        ]);
    });

    it("watches each region's saturation against that region's own capacity, not the primary's", async () => {
        const threshold = (name: string) => (inputs(prod.resources.find((r) => r.name === name)!).criteria.allOf[0].threshold as number);
        // 80% of capacity x 1000 tokens per minute: eastus2 runs chat at 100, westus3 at 50.
        assert.equal(threshold("openai-alerts-saturation-chat"), 100 * 800);
        assert.equal(threshold("openai-westus3-alerts-saturation-chat"), 50 * 800);
        assert.equal(threshold("openai-westus3-alerts-saturation-chat-mini"), 100 * 800);
    });

    it("writes each region in its own chain, so the regions proceed in parallel", async () => {
        const westChain = prod.resources.filter((r) => r.parent === "openai-westus3" && r.type !== T.account && r.dependsOn.length > 0);
        assert.ok(westChain.length > 0);
        for (const r of westChain) assert.ok(r.dependsOn.every((d) => d.startsWith("openai-westus3-")), `${r.name} waits only on its own region`);
    });

    it("gives the secondary its own key in a vault of its own region, roles, diagnostics to the shared workspace, alerts and lock", async () => {
        const vaults = byType(prod, "azure-native:keyvault:Vault").map((v) => inputs(v).location);
        assert.deepEqual(vaults, ["eastus2", "westus3"]);
        const west = byType(prod, T.account)[1];
        assert.match(inputs(west).properties.encryption.keyVaultProperties.keyVaultUri, /^https:\/\/kv-contoso-prod-[0-9a-f]{4}\.vault\.azure\.net\/$/);
        assert.notEqual(inputs(west).properties.encryption.keyVaultProperties.keyVaultUri, inputs(byType(prod, T.account)[0]).properties.encryption.keyVaultProperties.keyVaultUri);
        assert.equal(byType(prod, "azure-native:operationalinsights:Workspace").length, 1);
        const settings = byType(prod, "azure-native:monitor:DiagnosticSetting");
        assert.equal(new Set(settings.map((s) => inputs(s).workspaceId)).size, 1, "both regions log to one workspace");
        assert.equal(byType(prod, "azure-native:monitor:ActionGroup").length, 1, "one action group for both regions");
        assert.ok(byType(prod, "azure-native:monitor:MetricAlert").some((a) => inputs(a).ruleName === "alert-oai-contoso-prod-westus3-saturation-chat"));
        assert.equal(byType(prod, "azure-native:authorization:ManagementLockByScope").length, 2);
        // The team's role on each region's account (its Foundry project's role is on the project, primary only).
        const applicationRoles = byType(prod, T.role).filter((r) => inputs(r).principalId === "7c9e6679-7425-40de-944b-e07fc1f90ae7" && !String(inputs(r).scope).includes("/projects/"));
        assert.deepEqual(applicationRoles.map((r) => String(inputs(r).scope).split("/").pop()), ["oai-contoso-prod", "oai-contoso-prod-westus3"]);
    });

    it("reaches the secondary through its own private endpoint, registered in the same zone", async () => {
        const endpoints = byType(prod, "azure-native:network:PrivateEndpoint").filter((pe) => inputs(pe).privateLinkServiceConnections[0].groupIds[0] === "account");
        assert.deepEqual(endpoints.map((pe) => String(inputs(pe).privateLinkServiceConnections[0].privateLinkServiceId).split("/").pop()), ["oai-contoso-prod", "oai-contoso-prod-westus3"]);
        const zones = byType(prod, "azure-native:network:PrivateDnsZoneGroup").map((g) => inputs(g).privateDnsZoneConfigs[0].privateDnsZoneId);
        assert.equal(zones.filter((z) => String(z).endsWith("privatelink.openai.azure.com")).length, 2);
    });

    it("reports every region and the gateway in its outputs, the primary as before", async () => {
        const regions = prod.outputs.regions as { location: string; primary: boolean; endpoint: string }[];
        assert.deepEqual(regions.map((r) => [r.location, r.primary]), [["eastus2", true], ["westus3", false]]);
        assert.equal(regions[0].endpoint, prod.outputs.endpoint);
        assert.match(String(prod.outputs.gatewayEndpoint), /^https:\/\/apim-contoso-prod-[0-9a-f]{8}\.azure-api\.net\/$/);
        assert.equal(prod.outputs.gatewayAudience, "api://contoso-openai-gateway");
    });

    it("leaves a one-region stack's outputs without regions or a gateway", async () => {
        const dev = committedPlan("dev");
        assert.equal("regions" in dev.outputs || "gatewayEndpoint" in dev.outputs, false);
    });
});

describe("the gateway", () => {
    it("has a backend per region with a breaker on 429 and 5xx that honours Retry-After", async () => {
        const backends = byType(prod, T.backend).filter((b) => inputs(b).type !== "Pool");
        assert.deepEqual(backends.map((b) => inputs(b).url), ["https://contoso-prod-03c8e0a0.openai.azure.com/openai", "https://contoso-prod-westus3-6580810c.openai.azure.com/openai"]);
        for (const b of backends) {
            const rule = inputs(b).circuitBreaker.rules[0];
            assert.deepEqual(rule.failureCondition.statusCodeRanges, [{ min: 429, max: 429 }, { min: 500, max: 599 }]);
            assert.deepEqual([rule.acceptRetryAfter, rule.tripDuration], [true, "PT60S"]);
        }
    });

    it("pools them with the primary first", async () => {
        const pool = byType(prod, T.backend).find((b) => inputs(b).type === "Pool")!;
        assert.deepEqual(inputs(pool).pool.services.map((s: { id: string; priority: number }) => [s.id.split("/").pop(), s.priority]), [["openai-eastus2", 1], ["openai-westus3", 2]]);
    });

    it("may call every account with its own identity, and nothing more", async () => {
        const gatewayRoles = byType(prod, T.role).filter((r) => r.parent?.startsWith("gateway-access-"));
        assert.deepEqual(gatewayRoles.map((r) => [String(inputs(r).scope).split("/").pop(), String(inputs(r).roleDefinitionId).split("/").pop()]), [
            ["oai-contoso-prod", "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"],
            ["oai-contoso-prod-westus3", "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"],
        ]);
    });

    it("is private in prod: public access off, a private endpoint registered in the hub's zone", async () => {
        assert.equal(inputs(one(prod, "azure-native:apimanagement:ApiManagementService")).publicNetworkAccess, "Disabled");
        const pe = byType(prod, "azure-native:network:PrivateEndpoint").find((p) => inputs(p).privateLinkServiceConnections[0].groupIds[0] === "Gateway");
        assert.ok(pe);
        const group = byType(prod, "azure-native:network:PrivateDnsZoneGroup").find((g) => inputs(g).privateEndpointName === inputs(pe).privateEndpointName)!;
        assert.match(inputs(group).privateDnsZoneConfigs[0].privateDnsZoneId, /\/resourceGroups\/rg-contoso-hub\/providers\/Microsoft\.Network\/privateDnsZones\/privatelink\.azure-api\.net$/);
        assert.deepEqual(byType(prod, "azure-native:privatedns:PrivateZone"), [], "the hub holds every zone");
    });

    it("joins the network only after every account's private endpoint is written there, never at once", () => {
        const plan = committedPlan("prod");
        const service = plan.resources.find((r) => r.type === "azure-native:apimanagement:ApiManagementService")!;
        const endpoints = plan.resources.filter((r) => r.type === "azure-native:network:PrivateEndpoint" && r.parent === "private-network").map((r) => r.name);
        assert.equal(endpoints.length, 2);
        assert.deepEqual(service.dependsOn, endpoints);
        // The gateway's own endpoint waits for the service (it names its id), so it comes after the join too.
        const own = plan.resources.find((r) => r.type === "azure-native:network:PrivateEndpoint" && r.parent === "gateway")!;
        assert.match(JSON.stringify(own.inputs), /Microsoft\.ApiManagement\/service\/apim-contoso-prod-/);
    });

    it("serves the account's paths, so a client changes only the host", async () => {
        assert.equal(inputs(one(prod, "azure-native:apimanagement:Api")).path, "openai");
        assert.deepEqual(byType(prod, "azure-native:apimanagement:ApiOperation").map((o) => inputs(o).urlTemplate), [
            "/deployments/{deployment-id}/chat/completions", "/deployments/{deployment-id}/embeddings", "/responses", "/v1/chat/completions", "/v1/responses", "/v1/embeddings", "/v1/models",
        ]);
    });

    it("has a policy generated from the stack, well-formed XML with the stack's audience, role, pool and retries", async () => {
        const xml = String(inputs(one(prod, "azure-native:apimanagement:ApiPolicy")).value);
        const errors: string[] = [];
        const doc = new DOMParser({ onError: (level, message) => errors.push(`${level}: ${message}`) }).parseFromString(xml, "text/xml");
        assert.deepEqual(errors, []);
        const one_ = (tag: string) => doc.getElementsByTagName(tag)[0];
        assert.equal(one_("audience").textContent, "api://contoso-openai-gateway");
        assert.equal(one_("value").textContent, "OpenAI.Caller");
        assert.equal(one_("set-backend-service").getAttribute("backend-id"), "openai-pool");
        assert.equal(one_("retry").getAttribute("count"), "2");
        // Failover depends on retrying a throttled call: 429 and every 5xx, nothing else.
        assert.equal(one_("retry").getAttribute("condition"), "@(context.Response.StatusCode == 429 || context.Response.StatusCode >= 500)");
        assert.equal(one_("authentication-managed-identity").getAttribute("resource"), "https://cognitiveservices.azure.com");
        assert.equal(doc.getElementsByTagName("outbound")[0].getElementsByTagName("set-header")[0].getAttribute("name"), "x-ms-region");
    });

    it("shows the policy as XML in the readable plan, for review", async () => {
        assert.match(committedText("prod"), /^Gateway policy \(gateway-api-policy\):\n {4}<policies>\n[\s\S]* {12}<set-backend-service backend-id="openai-pool" \/>\n/m);
    });

    it("escapes what the stack puts into the XML, and leaves out role checks when no role is required", async () => {
        const xml = gatewayPolicyXml({ tenantId: "t", audiences: ['api://a&b"<c>'], roles: [], poolBackendId: "p", retries: 0 });
        const doc = new DOMParser().parseFromString(xml, "text/xml");
        assert.equal(doc.getElementsByTagName("audience")[0].textContent, 'api://a&b"<c>');
        assert.equal(doc.getElementsByTagName("required-claims").length, 0);
    });

    it("demands APIM subscription keys only when the stack asks", async () => {
        assert.equal(inputs(one(prod, "azure-native:apimanagement:Api")).subscriptionRequired, false);
        const withKeys = await planOf(["--config-file", writeStackFile(minimalConfig({ "aoai:regions": [{ location: "westus" }], "aoai:gateway": { publisherEmail: "a@contoso.com", audience: "api://g", subscriptionKeys: true } }))]);
        assert.equal(inputs(one(withKeys, "azure-native:apimanagement:Api")).subscriptionRequired, true);
        assert.equal(inputs(one(withKeys, "azure-native:apimanagement:ApiManagementService")).publicNetworkAccess, "Enabled", "no private endpoint, so public by default");
    });
});

describe("guarding the failover path", () => {
    const edited = (edit: (plan: Plan) => void) => {
        const copy = structuredClone(prod);
        edit(copy);
        return copy;
    };

    it("the pack fails prod when a deployment exists in one region only", async () => {
        const lopsided = edited((p) => (p.resources = p.resources.filter((r) => r.name !== "openai-westus3-deployment-chat-mini")));
        const violations = (await evaluatePolicies(lopsided, { all: "mandatory", "openai-resilience": { required: true } })).filter((v) => v.policy === "openai-resilience");
        assert.deepEqual(violations.map((v) => v.message), ["Deployment chat-mini exists only in eastus2; a failover region needs every deployment (aoai:regions)."]);
    });

    it("plan-diff marks removing a region, the pool or the gateway as dangerous", async () => {
        const noWest = edited((p) => (p.resources = p.resources.filter((r) => !r.name.startsWith("openai-westus3"))));
        assert.ok(diffPlans(prod, noWest).some((c) => c.severity === "danger" && /account removed: its region's endpoint/.test(c.message)));
        const noPool = edited((p) => (p.resources = p.resources.filter((r) => r.name !== "gateway-pool")));
        assert.ok(diffPlans(prod, noPool).some((c) => c.severity === "danger" && c.resource === "gateway-pool"));
        const noGateway = edited((p) => (p.resources = p.resources.filter((r) => r.type !== "azure-native:apimanagement:ApiManagementService")));
        assert.ok(diffPlans(prod, noGateway).some((c) => c.severity === "danger" && /gateway removed/.test(c.message)));
        const shrunk = edited((p) => inputs(p.resources.find((r) => r.name === "gateway-pool")!).pool.services.pop());
        assert.deepEqual(diffPlans(prod, shrunk).filter((c) => c.path === "pool.services").map((c) => c.severity), ["danger"]);
    });
});
