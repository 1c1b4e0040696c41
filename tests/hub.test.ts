/**
 * The hub program (hub/, infra/hub/): its project file declares exactly the keys it reads, each
 * documented; every mistake in its stack file is refused naming the key; it declares every shared
 * zone linked to the tools network, the runner's subnet and its egress; its outputs satisfy what a
 * spoke checks (Contract 5); and the pack holds it to its rule.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "fs";
import * as path from "path";
import { ConfigError } from "../infra/core/configReader";
import { SharedPrivateDnsZones } from "../infra/core/naming";
import { HubConfigKeys } from "../infra/hub/hub.config";
import { checkHubOutputs } from "../infra/network/hubOutputs";
import { renderHub } from "../tools/plan/offlinePlan";
import type { Plan } from "../tools/plan/planModel";
import { HubProject, parseHubStackFile, readStackFile } from "../tools/plan/stackFile";
import { RepoRoot, hubStackFilePath, policyConfigPath, readProjectFile } from "../tools/repo";
import { evaluatePolicies, readPolicyConfig } from "../tools/review/offlinePolicy";
import { byType, committedPlan, one } from "./helpers";

const hubConfig = (text: string) => {
    const file = path.join(RepoRoot, "tests", "fixtures", "invalid-hub", text);
    return parseHubStackFile("hub", readStackFile(file, HubProject));
};

describe("hub/Pulumi.yaml", () => {
    const declared = readProjectFile(HubProject.projectFile);

    it("names the project its keys' namespace, and runs the hub program", () => {
        assert.equal(declared.name, "aoai-hub");
        assert.match(readFileSync(HubProject.projectFile, "utf8"), /^main: \.\.\/infra\/hub\/$/m);
    });

    it("declares exactly the keys the program accepts, a default for each optional one and none for a required one", () => {
        assert.deepEqual(Object.keys(declared.config).sort(), Object.keys(HubConfigKeys).sort());
        for (const [key, spec] of Object.entries(HubConfigKeys)) {
            assert.equal(declared.config[key].default === undefined, spec.required === true, key);
            assert.equal(declared.config[key].type, spec.type, key);
        }
    });

    it("documents every key in docs/hub.md", () => {
        const doc = readFileSync(path.join(RepoRoot, "docs", "hub.md"), "utf8");
        for (const key of Object.keys(HubConfigKeys)) assert.match(doc, new RegExp(`^\\| \`${key}\` \\|`, "m"), key);
    });
});

describe("invalid hub stack files", () => {
    const dir = path.join(RepoRoot, "tests", "fixtures", "invalid-hub");
    const files = readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();

    it("cover every key the hub reads", () => {
        const keys = files.map((f) => /^# expect: aoai-hub:(\w+)$/m.exec(readFileSync(path.join(dir, f), "utf8"))?.[1]);
        for (const key of ["location", "namePrefix", "addressSpace", "runnerSubnetPrefix", "runnerOutbound"]) assert.ok(keys.includes(key), key);
    });

    for (const file of files) {
        it(`${file}: is refused, naming the key on a line of its own`, () => {
            const key = /^# expect: (\S+)$/m.exec(readFileSync(path.join(dir, file), "utf8"))![1];
            assert.throws(() => hubConfig(file), (err: unknown) => err instanceof ConfigError && new RegExp(`^  - ${key}: `, "m").test(err.message), file);
        });
    }
});

describe("the committed hub", () => {
    const plan = committedPlan("hub");
    const vnetId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-hub/providers/Microsoft.Network/virtualNetworks/vnet-contoso-hub";

    it("holds every shared zone, each linked to the tools network without auto-registration, after the runner's subnet", () => {
        assert.deepEqual(byType(plan, "azure-native:privatedns:PrivateZone").map((z) => z.inputs.privateZoneName), [...SharedPrivateDnsZones]);
        const links = byType(plan, "azure-native:privatedns:VirtualNetworkLink");
        assert.deepEqual(links.map((l) => [l.inputs.privateZoneName, (l.inputs.virtualNetwork as { id: string }).id, l.inputs.registrationEnabled, l.dependsOn]), SharedPrivateDnsZones.map((z) => [z, vnetId, false, ["tools-runner-subnet"]]));
    });

    it("gives the runner a subnet with a network security group, egress through the NAT gateway only", () => {
        const subnet = one(plan, "azure-native:network:Subnet");
        assert.equal(subnet.inputs.addressPrefix, "10.40.0.0/26");
        assert.equal(subnet.inputs.defaultOutboundAccess, false);
        assert.match((subnet.inputs.networkSecurityGroup as { id: string }).id, /\/networkSecurityGroups\/nsg-runners-contoso-hub$/);
        assert.match((subnet.inputs.natGateway as { id: string }).id, /\/natGateways\/ng-contoso-hub$/);
        assert.deepEqual(one(plan, "azure-native:network:PublicIPAddress").inputs.sku, { name: "Standard" });
        assert.equal(plan.outputs.runnerOutboundAddress, "203.0.113.10");
    });

    it("reports what a spoke checks (Contract 5)", () => {
        const outputs = checkHubOutputs("contoso/aoai-hub/hub", plan.outputs);
        assert.equal(outputs.virtualNetworkId, vnetId);
        assert.equal(outputs.runnerSubnetId, `${vnetId}/subnets/snet-runners`);
        assert.deepEqual(Object.keys(outputs.dnsZoneIds), [...SharedPrivateDnsZones]);
    });

    it("passes its pack rule, which fails a hub without a zone, with an auto-registering link, or with an open subnet", async () => {
        const pack = readPolicyConfig(policyConfigPath("hub"));
        assert.deepEqual(await evaluatePolicies(plan, pack), []);
        const broken: Plan = {
            ...plan,
            resources: plan.resources
                .filter((r) => !(r.type === "azure-native:privatedns:PrivateZone" && r.inputs.privateZoneName === "privatelink.azure-api.net"))
                .map((r) => (r.name === "tools-openai-dns-link" ? { ...r, inputs: { ...r.inputs, registrationEnabled: true } } : r))
                .map((r) => (r.type === "azure-native:network:Subnet" ? { ...r, inputs: { ...r.inputs, defaultOutboundAccess: true } } : r)),
        };
        const found = (await evaluatePolicies(broken, pack)).filter((v) => v.policy === "hub-shared-zones");
        assert.deepEqual(found.map((v) => v.enforcementLevel), ["mandatory", "mandatory", "mandatory"]);
        for (const why of [/no privatelink\.azure-api\.net zone/, /privatelink\.openai\.azure\.com zone's link registers virtual machines' records/, /snet-runners keeps Azure's default outbound access/]) {
            assert.ok(found.some((v) => why.test(v.message)), String(why));
        }
    });
});

describe("a hub whose platform team routes egress itself", () => {
    let plan: Plan;
    before(async () => {
        const file = readStackFile(hubStackFilePath("hub"), HubProject);
        plan = await renderHub(parseHubStackFile("hub", { config: { ...file.config, "aoai-hub:runnerOutbound": "none" } }));
    });

    it("declares no NAT gateway and no public address, and still no default outbound access", () => {
        assert.deepEqual(byType(plan, "azure-native:network:NatGateway"), []);
        assert.deepEqual(byType(plan, "azure-native:network:PublicIPAddress"), []);
        const subnet = one(plan, "azure-native:network:Subnet");
        assert.equal(subnet.inputs.natGateway, undefined);
        assert.equal(subnet.inputs.defaultOutboundAccess, false);
        assert.equal(plan.outputs.runnerOutboundAddress, undefined);
    });
});
