/**
 * Who can reach what, computed from what a stack declares: public and private accounts, each gateway
 * tier, a hub's existing DNS zone and subnet. Rendered in process under the mocks (no CLI), so every
 * case runs the real program.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, StackConfig, parseStackConfig } from "../infra/config";
import { GatewaySkus, OutboundIntegrationSkus } from "../infra/gateway/gateway.config";
import { ReachPath, reachability } from "../infra/network/reachability";
import { readFileSync } from "fs";
import * as path from "path";
import { renderConfig } from "../tools/plan/offlinePlan";
import { evaluatePolicies, readPolicyConfig } from "../tools/review/offlinePolicy";
import { Plan, isComponent } from "../tools/plan/planModel";
import { RepoRoot } from "../tools/repo";

function raw(values: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

const Hub = "/subscriptions/6f1d1f8e-3a51-4b8e-9b43-1c2d3e4f5a6b/resourceGroups/rg-hub/providers/Microsoft.Network";
const base = {
    location: "eastus2",
    namePrefix: "demo",
    deployments: [{ name: "chat", model: "gpt-4o-mini", version: "2099-07-18", sku: "DataZoneStandard", capacity: 10 }],
    regions: [{ location: "westus3" }],
};
const privateAccounts = { network: { publicNetworkAccess: "Disabled" }, privateEndpoint: { vnetAddressSpace: "10.60.0.0/24", subnetAddressPrefix: "10.60.0.0/27" } };
const gateway = (extra: Record<string, unknown> = {}) => ({ gateway: { publisherEmail: "ops@contoso.com", audience: "api://gw", ...extra } });

function parse(values: Record<string, unknown>): StackConfig {
    return parseStackConfig(raw(values), "test");
}

function problemsOf(values: Record<string, unknown>): string[] {
    try {
        parse(values);
    } catch (err) {
        assert.ok(err instanceof ConfigError);
        return err.problems;
    }
    return assert.fail("expected the configuration to be refused");
}

async function pathsOf(values: Record<string, unknown>): Promise<ReachPath[]> {
    const plan: Plan = await renderConfig(parse(values));
    return reachability(plan.resources.filter((r) => !isComponent(r)).map((r) => ({ type: r.type, props: r.inputs })));
}

const gatewayToAccounts = (paths: ReachPath[]) => paths.filter((p) => p.from.startsWith("gateway ") && p.to.startsWith("account "));

describe("reachability: private accounts", () => {
    for (const sku of OutboundIntegrationSkus) {
        it(`${sku}: the gateway reaches both accounts from its own subnet, through their private endpoints`, async () => {
            const paths = await pathsOf({ ...base, ...privateAccounts, ...gateway({ sku, subnetAddressPrefix: "10.60.0.32/27" }) });
            const backends = gatewayToAccounts(paths);
            assert.equal(backends.length, 2);
            for (const p of backends) {
                assert.equal(p.state, "open", p.how);
                assert.match(p.how, /from subnet snet-apim-outbound \(outbound integration\); private endpoint pe-oai-demo-test(-westus3)?; private DNS privatelink\.openai\.azure\.com linked to vnet-demo-test/);
            }
            assert.deepEqual(paths.filter((p) => p.from === "internet").map((p) => p.state), ["closed", "closed", "closed"], "nothing answers the internet");
        });
    }

    for (const sku of GatewaySkus.filter((s) => !OutboundIntegrationSkus.includes(s))) {
        it(`${sku}: refused, naming gateway.sku, since it cannot call into the network beside its private endpoint`, () => {
            const problems = problemsOf({ ...base, ...privateAccounts, ...gateway({ sku, subnetAddressPrefix: "10.60.0.32/27" }) });
            assert.deepEqual(problems.map((p) => p.split(":")[0] + ":" + p.split(":")[1]), ["aoai:gateway.sku"]);
        });
    }

    it("without a gateway subnet the stack is refused, naming the keys that fix it", () => {
        const [problem] = problemsOf({ ...base, ...privateAccounts, ...gateway() });
        assert.match(problem, /^aoai:gateway: cannot reach its accounts: .*gateway\.subnetAddressPrefix.*gateway\.subnetId/);
    });

    it("a firewall of listed addresses is closed to the gateway too: its egress address is not among them", () => {
        const [problem] = problemsOf({ ...base, network: { ipRules: ["20.30.40.50"] }, ...gateway() });
        assert.match(problem, /^aoai:gateway: cannot reach its accounts/);
    });

    it("shows a gateway built without a subnet as closed to its private accounts (what the pack catches)", () => {
        const resources = [
            { type: "azure-native:cognitiveservices:Account", props: { accountName: "oai-a", properties: { publicNetworkAccess: "Disabled", customSubDomainName: "sub-a" } } },
            { type: "azure-native:apimanagement:ApiManagementService", props: { serviceName: "apim-a", publicNetworkAccess: "Disabled" } },
            { type: "azure-native:apimanagement:Backend", props: { serviceName: "apim-a", url: "https://sub-a.openai.azure.com/openai" } },
        ];
        const [p] = gatewayToAccounts(reachability(resources));
        assert.equal(p.state, "closed");
        assert.match(p.how, /the gateway has no virtual network; its public network access disabled/);
    });
});

describe("reachability: public accounts", () => {
    for (const sku of GatewaySkus) {
        it(`${sku}: reaches accounts open to any address over their public endpoint`, async () => {
            const paths = await pathsOf({ ...base, ...gateway({ sku }) });
            assert.deepEqual(gatewayToAccounts(paths).map((p) => [p.state, p.how]), [
                ["open", "over the account's public endpoint"],
                ["open", "over the account's public endpoint"],
            ]);
            const internet = paths.filter((p) => p.from === "internet");
            assert.ok(internet.every((p) => p.state === "open" && p.anyAddress === true), "accounts and gateway answer any address");
        });
    }

    it("an account behind listed addresses is open only to them, and not 'any address'", async () => {
        const paths = await pathsOf({ ...base, regions: [], network: { ipRules: ["20.30.40.50"] } });
        const [p] = paths.filter((x) => x.from === "internet");
        assert.deepEqual([p.state, p.anyAddress, p.how], ["open", false, "public endpoint, firewall allows only addresses 20.30.40.50"]);
    });

    it("an account behind subnet rules only is open to those subnets, neither closed nor 'any address'", async () => {
        const subnet = "/subscriptions/6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b/resourceGroups/rg-app/providers/Microsoft.Network/virtualNetworks/vnet-app/subnets/snet-app";
        const paths = await pathsOf({ ...base, regions: [], network: { virtualNetworkRules: [subnet] } });
        const [p] = paths.filter((x) => x.from === "internet");
        assert.deepEqual([p.state, p.anyAddress, p.how], ["open", false, "public endpoint, firewall allows only 1 subnet rule(s)"]);
    });
});

describe("reachability: a hub's subnet and DNS zones", () => {
    const hub = {
        network: { publicNetworkAccess: "Disabled" },
        privateEndpoint: { subnetId: `${Hub}/virtualNetworks/vnet-spoke/subnets/snet-pe`, dnsZoneId: `${Hub}/privateDnsZones/privatelink.openai.azure.com` },
    };

    it("the gateway in an existing subnet of the endpoints' network: its paths depend on the hub linking its zones", async () => {
        const paths = await pathsOf({ ...base, ...hub, ...gateway({ subnetId: `${Hub}/virtualNetworks/vnet-spoke/subnets/snet-apim`, dnsZoneId: `${Hub}/privateDnsZones/privatelink.azure-api.net` }) });
        for (const p of gatewayToAccounts(paths)) {
            assert.equal(p.state, "outside");
            assert.match(p.how, /from subnet snet-apim .*the hub's privatelink\.openai\.azure\.com zone must be linked to vnet-spoke/);
        }
        const toGateway = paths.find((p) => p.from === "network vnet-spoke" && p.to.startsWith("gateway "));
        assert.equal(toGateway?.state, "outside");
        assert.match(toGateway!.how, /privatelink\.azure-api\.net zone must be linked to vnet-spoke/);
    });

    it("no DNS zone group: the endpoint's name resolves publicly, so the path is closed", () => {
        const resources = [
            { type: "azure-native:cognitiveservices:Account", props: { accountName: "oai-a", properties: { publicNetworkAccess: "Disabled" } } },
            { type: "azure-native:network:PrivateEndpoint", props: { privateEndpointName: "pe-a", subnet: { id: `${Hub}/virtualNetworks/v/subnets/s` }, privateLinkServiceConnections: [{ privateLinkServiceId: "/x/providers/Microsoft.CognitiveServices/accounts/oai-a", groupIds: ["account"] }] } },
        ];
        const p = reachability(resources).find((x) => x.from === "network v");
        assert.equal(p?.state, "closed");
        assert.match(p!.how, /no privatelink\.openai\.azure\.com record for pe-a/);
    });
});

describe("reachability: keys and diagnostics", () => {
    it("an account reaches a created vault as a trusted service, or through an open firewall when the stack chose it", async () => {
        const trusted = await pathsOf({ ...base, regions: [], encryption: { createKeyVault: true } });
        assert.match(trusted.find((p) => p.to.startsWith("key vault "))!.how, /as a trusted Azure service/);
        const open = await pathsOf({ ...base, regions: [], encryption: { createKeyVault: true, vaultFirewall: "open" } });
        assert.match(open.find((p) => p.to.startsWith("key vault "))!.how, /allows every network/);
    });

    it("an existing vault and existing diagnostics destinations are outside the stack", async () => {
        const paths = await pathsOf({
            ...base,
            regions: [],
            encryption: { keyVaultId: "/subscriptions/6f1d1f8e-3a51-4b8e-9b43-1c2d3e4f5a6b/resourceGroups/rg-sec/providers/Microsoft.KeyVault/vaults/kv-central", keyName: "cmk" },
        });
        assert.deepEqual(paths.find((p) => p.to === "key vault kv-central")?.state, "outside");
        assert.equal(paths.find((p) => p.to.startsWith("workspace "))?.state, "open");
    });
});

describe("the pack holds prod to its paths", () => {
    const prod = JSON.parse(readFileSync(path.join(RepoRoot, "tests", "snapshots", "prod.plan.json"), "utf8")) as Plan;
    const policy = readPolicyConfig(path.join(RepoRoot, "policy", "config", "prod.json"));

    it("a gateway without its network fails openai-reachability for every account it fronts", async () => {
        const broken = JSON.parse(JSON.stringify(prod)) as Plan;
        const service = broken.resources.find((r) => r.type === "azure-native:apimanagement:ApiManagementService")!;
        delete service.inputs.virtualNetworkConfiguration;
        const violations = (await evaluatePolicies(broken, policy)).filter((v) => v.policy === "openai-reachability");
        assert.deepEqual(violations.map((v) => v.message.split(":")[0]), [
            `gateway ${service.inputs.serviceName} cannot reach account oai-contoso-prod`,
            `gateway ${service.inputs.serviceName} cannot reach account oai-contoso-prod-westus3`,
        ]);
        assert.ok(violations.every((v) => v.enforcementLevel === "mandatory"));
    });

    it("dev's public account is only advised about, since dev does not require it", async () => {
        const dev = JSON.parse(readFileSync(path.join(RepoRoot, "tests", "snapshots", "dev.plan.json"), "utf8")) as Plan;
        const violations = await evaluatePolicies(dev, readPolicyConfig(path.join(RepoRoot, "policy", "config", "dev.json")));
        assert.equal(violations.filter((v) => v.policy === "openai-reachability").length, 0);
    });
});

