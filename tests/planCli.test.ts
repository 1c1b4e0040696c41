/**
 * The plan command as pipelines and reviewers use it: the deployment chain for any count, the
 * hub-and-spoke and existing-workspace variants, rendered in process; determinism across processes,
 * text output, and usage errors through the command itself.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { printPlans } from "../tools/plan/planOutput";
import { runPlan, runPlanAsync } from "../tools/plan/planProcess";
import { RepoRoot } from "../tools/repo";
import { parseStackFile, readStackFile } from "../tools/plan/stackFile";
import { byType, committedText, minimalConfig, one, planOf, writeStackFile } from "./helpers";

function deploymentsConfig(count: number) {
    return Array.from({ length: count }, (_, i) => ({ name: `model-${i}`, model: "gpt-4o-mini", version: "2099-07-18", sku: "Standard", capacity: i + 1 }));
}

describe("deployment chain", () => {
    for (const count of [1, 2, 5, 8]) {
        it(`serializes ${count} deployment(s): each depends on the one before`, async () => {
            const plan = await planOf(["--config-file", writeStackFile(minimalConfig({ "aoai:deployments": deploymentsConfig(count) }))]);
            const deployments = plan.resources.filter((r: any) => r.type === "azure-native:cognitiveservices:Deployment");
            assert.deepEqual(
                deployments.map((d: any) => [d.name, d.dependsOn]),
                deployments.map((_: any, i: number) => [`openai-deployment-model-${i}`, i === 0 ? [] : [`openai-deployment-model-${i - 1}`]]),
            );
            assert.deepEqual(deployments.map((d: any) => d.inputs.sku.capacity), deploymentsConfig(count).map((d) => d.capacity));
        });
    }
});

describe("variants", () => {
    const hub = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-hub/providers/Microsoft.Network";

    it("uses an existing subnet and a central DNS zone without creating network or zone", async () => {
        const subnetId = `${hub}/virtualNetworks/vnet-spoke/subnets/snet-pe`;
        const dnsZoneId = `${hub}/privateDnsZones/privatelink.openai.azure.com`;
        const plan = await planOf(["--config-file", writeStackFile(minimalConfig({ "aoai:privateEndpoint": { subnetId, dnsZoneId } }))]);
        for (const type of ["azure-native:network:VirtualNetwork", "azure-native:network:Subnet", "azure-native:privatedns:PrivateZone", "azure-native:privatedns:VirtualNetworkLink"]) {
            assert.equal(byType(plan, type).length, 0, `${type} must not be created`);
        }
        assert.equal((one(plan, "azure-native:network:PrivateEndpoint").inputs.subnet as any).id, subnetId);
        assert.deepEqual((one(plan, "azure-native:network:PrivateDnsZoneGroup").inputs.privateDnsZoneConfigs as any[])[0].privateDnsZoneId, dnsZoneId);
        assert.equal(plan.outputs.publicNetworkAccess, "Disabled", "a private endpoint makes the account private by default");
    });

    it("links a created zone to the virtual network of an existing subnet", async () => {
        const subnetId = `${hub}/virtualNetworks/vnet-spoke/subnets/snet-pe`;
        const plan = await planOf(["--config-file", writeStackFile(minimalConfig({ "aoai:privateEndpoint": { subnetId } }))]);
        assert.deepEqual(one(plan, "azure-native:privatedns:VirtualNetworkLink").inputs.virtualNetwork, { id: `${hub}/virtualNetworks/vnet-spoke` });
    });

    it("sends diagnostics to an existing workspace, or nowhere when disabled", async () => {
        const workspaceId = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/log-central";
        const existing = await planOf(["--config-file", writeStackFile(minimalConfig({ "aoai:diagnostics": { workspaceId } }))]);
        assert.equal(byType(existing, "azure-native:operationalinsights:Workspace").length, 0);
        assert.equal(one(existing, "azure-native:monitor:DiagnosticSetting").inputs.workspaceId, workspaceId);
        const disabled = await planOf(["--config-file", writeStackFile(minimalConfig({ "aoai:diagnostics": { enabled: false } }))]);
        assert.equal(byType(disabled, "azure-native:monitor:DiagnosticSetting").length, 0);
    });

    it("applies IP and virtual-network rules, a custom subdomain and restore to the account", async () => {
        const plan = await planOf([
            "--config-file",
            writeStackFile(
                minimalConfig({
                    "aoai:network": { ipRules: ["203.0.113.7"], virtualNetworkRules: [`${hub}/virtualNetworks/vnet-app/subnets/snet-app`], bypass: "AzureServices" },
                    "aoai:customSubdomain": "demo-openai",
                    "aoai:restore": true,
                }),
            ),
        ]);
        const properties = one(plan, "azure-native:cognitiveservices:Account").inputs.properties as Record<string, any>;
        assert.deepEqual(properties.networkAcls, {
            bypass: "AzureServices",
            defaultAction: "Deny",
            ipRules: [{ value: "203.0.113.7" }],
            virtualNetworkRules: [{ id: `${hub}/virtualNetworks/vnet-app/subnets/snet-app`, ignoreMissingVnetServiceEndpoint: false }],
        });
        assert.equal(properties.customSubDomainName, "demo-openai");
        assert.equal(properties.restore, true);
        assert.equal(plan.outputs.endpoint, "https://demo-openai.openai.azure.com/");
        assert.equal(byType(plan, "azure-native:network:PrivateEndpoint").length, 0);
        assert.equal(byType(plan, "azure-native:authorization:RoleAssignment").length, 0, "no grants configured, none created");
    });
});

describe("plan command", () => {
    it("prints byte-identical JSON for the same stack file", async () => {
        const [a, b] = await Promise.all([runPlanAsync(["prod", "--json"]), runPlanAsync(["prod", "--json"])]);
        assert.equal(a.code, 0, a.stderr);
        assert.equal(a.stdout, b.stdout);
        const plan = JSON.parse(a.stdout);
        assert.equal(plan.stack, "prod");
        assert.deepEqual(Object.keys(plan), ["stack", "resources", "outputs"]);
        assert.deepEqual(Object.keys(plan.resources[0]), ["type", "name", "parent", "dependsOn", "protect", "inputs"]);
    });

    it("renders a readable tree without --json", async () => {
        const result = { stdout: committedText("dev") };
        assert.match(result.stdout, /^Stack dev \(stacks\/Pulumi\.dev\.yaml\): 10 resources$/m);
        assert.match(result.stdout, /^    \+ openai  \(aoai:platform:OpenAiAccount\)  \[was at the top\]$/m);
        assert.match(result.stdout, /^        \+ openai-account  \(azure-native:cognitiveservices:Account\)$/m);
        assert.match(result.stdout, /^              properties\.disableLocalAuth = false$/m);
        assert.match(result.stdout, /^    endpoint = "https:\/\/contoso-dev-[0-9a-f]{8}\.openai\.azure\.com\/"$/m);
    });

    it("renders a stack file holding encrypted values without printing them", async () => {
        const file = writeStackFile(minimalConfig({ "azure-native:clientSecret": { secure: "v1:c2VjcmV0LWNpcGhlcnRleHQ=" } }));
        for (const format of ["json", "text"] as const) {
            const printed = await printPlans({ stacks: [{ config: parseStackFile("test", readStackFile(file)), file }], format, all: false, cwd: RepoRoot, today: new Date() });
            assert.doesNotMatch(printed, /c2VjcmV0LWNpcGhlcnRleHQ/);
        }
    });

    it("refuses an encrypted aoai: setting by name, since the offline plan cannot validate it", async () => {
        const file = writeStackFile(minimalConfig({ "aoai:tags": { secure: "v1:c2VjcmV0LWNpcGhlcnRleHQ=" } }));
        const result = runPlan(["--config-file", file, "--json"]);
        assert.equal(result.code, 1);
        assert.equal(result.stdout, "");
        assert.match(result.stderr, /aoai:tags is encrypted, and the offline plan cannot decrypt it to validate it/);
        assert.doesNotMatch(result.stderr, /c2VjcmV0LWNpcGhlcnRleHQ/, "the ciphertext is not printed either");
    });

    it("takes the stack name from --config-file's file name", async () => {
        const plan = await planOf(["--config-file", writeStackFile(minimalConfig(), "staging")]);
        assert.equal(plan.stack, "staging");
        assert.equal(one(plan, "azure-native:resources:ResourceGroup").inputs.resourceGroupName, "rg-demo-staging");
    });

    it("explains usage errors with exit code 2", async () => {
        for (const [args, message] of [
            [[], "plan: name a stack (e.g. dev) or pass --config-file <path>"],
            [["dev", "--yaml"], "plan: unknown option --yaml"],
            [["dev", "prod"], "plan: unexpected argument prod"],
            [["--config-file"], "plan: --config-file needs a path"],
            [["../etc/passwd"], 'plan: "../etc/passwd" is not a stack name; use letters, digits, \'.\', \'_\' or \'-\' (e.g. dev)'],
        ] as const) {
            const result = runPlan([...args]);
            assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
            assert.equal(result.stdout, "");
            assert.equal(result.stderr.split("\n")[0], message);
        }
    });

    it("reports a missing stack file with exit code 1", async () => {
        const result = runPlan(["qa"]);
        assert.equal(result.code, 1);
        assert.equal(result.stdout, "");
        assert.match(result.stderr, /Pulumi\.qa\.yaml: no such stack file/);
    });
});
