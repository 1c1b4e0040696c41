/** The prod stack rendered in this process under mocks: private, keyless, observable, locked. */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { renderPlan } from "../tools/plan/offlinePlan";
import type { Plan } from "../tools/plan/planModel";
import { stackFilePath } from "../tools/repo";
import { readStackFile } from "../tools/plan/stackFile";
import { MockClient, MockCreated } from "../tools/plan/azureMocks";
import { roleAssignmentName } from "../infra/access/access";
import { byType, primaryOf } from "./helpers";

let plan: Plan;

const accountId = `/subscriptions/${MockClient.subscriptionId}/resourceGroups/rg-contoso-prod/providers/Microsoft.CognitiveServices/accounts/oai-contoso-prod`;

describe("prod stack", () => {
    before(async () => {
        plan = await renderPlan("prod", readStackFile(stackFilePath("prod")));
    });

    it("disables keys and public access, and denies by default", () => {
        const account = primaryOf(plan, "azure-native:cognitiveservices:Account");
        const properties = account.inputs.properties as Record<string, any>;
        assert.equal(properties.disableLocalAuth, true);
        assert.equal(properties.publicNetworkAccess, "Disabled");
        assert.deepEqual(properties.networkAcls, { bypass: "None", defaultAction: "Deny", ipRules: [], virtualNetworkRules: [] });
        assert.equal(plan.outputs.localAuthDisabled, true);
        assert.equal(plan.outputs.publicNetworkAccess, "Disabled");
    });

    it("pins every model version and never upgrades on its own", () => {
        for (const d of byType(plan, "azure-native:cognitiveservices:Deployment")) {
            const properties = d.inputs.properties as Record<string, any>;
            assert.match(properties.model.version, /^\d{4}-\d{2}-\d{2}$/, d.name);
            assert.equal(properties.versionUpgradeOption, "NoAutoUpgrade", d.name);
        }
    });

    it("protects the account and locks it after every deployment and project", () => {
        const account = primaryOf(plan, "azure-native:cognitiveservices:Account");
        assert.equal(account.protect, true);
        const lock = primaryOf(plan, "azure-native:authorization:ManagementLockByScope");
        assert.equal(lock.inputs.level, "CanNotDelete");
        assert.equal(lock.inputs.scope, accountId);
        assert.deepEqual(lock.dependsOn, ["openai-deployment-chat", "openai-deployment-chat-mini", "openai-project-support-assistant"]);
    });

    it("creates the endpoint in the stack's subnet with group id 'account', after every deployment and project and the hub peering", () => {
        const endpoint = primaryOf(plan, "azure-native:network:PrivateEndpoint");
        const connection = (endpoint.inputs.privateLinkServiceConnections as any[])[0];
        assert.deepEqual(connection.groupIds, ["account"]);
        assert.equal(connection.privateLinkServiceId, accountId);
        assert.match((endpoint.inputs.subnet as any).id, /\/virtualNetworks\/vnet-contoso-prod\/subnets\/snet-private-endpoints$/);
        const writes = plan.resources.filter((r) => ["azure-native:cognitiveservices:Deployment", "azure-native:cognitiveservices:Project"].includes(r.type) && r.parent === "openai").map((d) => d.name);
        // The peering is the network's last write before the endpoints: Azure takes one write on a network at a time.
        assert.deepEqual(endpoint.dependsOn, [...writes, "private-network-hub-peering"]);
        assert.deepEqual(primaryOf(plan, "azure-native:network:PrivateDnsZoneGroup").dependsOn, [...writes, "private-network-hub-peering"]);
    });

    it("creates the network from the configured address space", () => {
        assert.deepEqual(primaryOf(plan, "azure-native:network:VirtualNetwork").inputs.addressSpace, { addressPrefixes: ["10.60.0.0/24"] });
        const subnet = primaryOf(plan, "azure-native:network:Subnet");
        assert.equal(subnet.inputs.addressPrefix, "10.60.0.0/27");
        assert.equal(subnet.inputs.privateEndpointNetworkPolicies, "Disabled");
    });

    it("wires private DNS through the hub: its three Foundry zones linked to the spoke without registration, one zone group on the endpoint, no zone of its own", () => {
        assert.deepEqual(byType(plan, "azure-native:privatedns:PrivateZone"), []);
        const hubZoneId = (name: string) => `/subscriptions/${MockClient.subscriptionId}/resourceGroups/rg-contoso-hub/providers/Microsoft.Network/privateDnsZones/${name}`;
        const links = byType(plan, "azure-native:privatedns:VirtualNetworkLink");
        assert.deepEqual(
            links.map((l) => [l.inputs.resourceGroupName, l.inputs.privateZoneName, l.inputs.virtualNetworkLinkName, l.inputs.registrationEnabled, (l.inputs.virtualNetwork as any).id.split("/").pop()]),
            ["privatelink.openai.azure.com", "privatelink.cognitiveservices.azure.com", "privatelink.services.ai.azure.com", "privatelink.azure-api.net"].map((zone) => ["rg-contoso-hub", zone, "vnetlink-contoso-prod", false, "vnet-contoso-prod"]),
        );
        const group = primaryOf(plan, "azure-native:network:PrivateDnsZoneGroup");
        assert.equal(group.inputs.privateEndpointName, "pe-oai-contoso-prod");
        assert.deepEqual(group.inputs.privateDnsZoneConfigs, [
            { name: "privatelink-openai-azure-com", privateDnsZoneId: hubZoneId("privatelink.openai.azure.com") },
            { name: "privatelink-cognitiveservices-azure-com", privateDnsZoneId: hubZoneId("privatelink.cognitiveservices.azure.com") },
            { name: "privatelink-services-ai-azure-com", privateDnsZoneId: hubZoneId("privatelink.services.ai.azure.com") },
        ]);
    });

    it("assigns roles scoped to the account, with ids built from the subscription and deterministic names", () => {
        // The customer-managed key's roles sit on the vault and key (encryption.test.ts).
        // The gateway's roles and the secondary region's are in resilience.test.ts.
        const assignments = byType(plan, "azure-native:authorization:RoleAssignment").filter((a) => a.inputs.scope === accountId && a.parent === "access");
        assert.deepEqual(
            assignments.map((a) => [a.inputs.principalId, a.inputs.principalType, a.inputs.scope, a.inputs.roleDefinitionId, a.inputs.roleAssignmentName]),
            [
                [
                    "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                    "Group",
                    accountId,
                    `/subscriptions/${MockClient.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/5e0bd9bd-7b93-4f28-af87-19fc36ad61bd`,
                    roleAssignmentName(accountId, "7c9e6679-7425-40de-944b-e07fc1f90ae7", "Cognitive Services OpenAI User"),
                ],
                [
                    MockClient.objectId,
                    "ServicePrincipal",
                    accountId,
                    `/subscriptions/${MockClient.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/5e0bd9bd-7b93-4f28-af87-19fc36ad61bd`,
                    roleAssignmentName(accountId, MockClient.objectId, "Cognitive Services OpenAI User"),
                ],
                [
                    MockCreated.projectPrincipalId("support-assistant"),
                    "ServicePrincipal",
                    accountId,
                    `/subscriptions/${MockClient.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/53ca6127-db72-4b80-b1b0-d745d6d5456d`,
                    roleAssignmentName(accountId, MockCreated.projectPrincipalId("support-assistant"), "Foundry User"),
                ],
            ],
        );
    });

    it("sends all logs and all metrics to a 90-day workspace, with no retention policy on the setting", () => {
        const workspace = primaryOf(plan, "azure-native:operationalinsights:Workspace");
        assert.equal(workspace.inputs.retentionInDays, 90);
        const setting = primaryOf(plan, "azure-native:monitor:DiagnosticSetting");
        assert.equal(setting.inputs.resourceUri, accountId);
        assert.match(String(setting.inputs.workspaceId), /\/workspaces\/log-contoso-prod$/);
        assert.deepEqual(setting.inputs.logs, [{ categoryGroup: "allLogs", enabled: true }]);
        assert.deepEqual(setting.inputs.metrics, [{ category: "AllMetrics", enabled: true }]);
        assert.equal(JSON.stringify(setting.inputs).includes("retentionPolicy"), false);
    });

    it("groups resources under components, children named from the component", () => {
        // A region's own components keep the names they had before regions were components (aliased there).
        const isRegion = (name: string | null) => plan.resources.some((r) => r.name === name && r.type === "aoai:platform:Region");
        for (const r of plan.resources.filter((r) => r.parent !== null && !isRegion(r.parent))) {
            assert.ok(r.name.startsWith(`${r.parent}-`), `${r.name} is named from its component ${r.parent}`);
        }
        assert.deepEqual(
            plan.resources.filter((r) => r.parent === null).map((r) => `${r.type} ${r.name}`),
            [
                // The hub's outputs, read before anything else is declared.
                "pulumi:pulumi:StackReference hub",
                "azure-native:resources:ResourceGroup resource-group",
                "aoai:platform:Region region",
                "aoai:platform:Region region-westus3",
                "aoai:platform:PrivateNetwork private-network",
                "aoai:platform:Gateway gateway",
                "aoai:platform:EnvironmentBudget budget",
            ],
        );
    });

    it("gives each region its key, account, access, logs and alerts, the primary first", () => {
        const childrenOf = (region: string) => plan.resources.filter((r) => r.parent === region).map((r) => `${r.type.split(":").pop()} ${r.name}`);
        assert.deepEqual(childrenOf("region"), [
            "AccountEncryption encryption",
            "OpenAiAccount openai",
            "AccountAccess access",
            "AccountAccess project-access-support-assistant",
            "Resource defender",
            "AccountDiagnostics diagnostics",
            "AccountAlerts openai-alerts",
        ]);
        assert.deepEqual(childrenOf("region-westus3"), [
            "AccountEncryption encryption-westus3",
            "OpenAiAccount openai-westus3",
            "AccountAccess access-westus3",
            "Resource defender-westus3",
            "AccountDiagnostics diagnostics-westus3",
            "AccountAlerts openai-westus3-alerts",
        ]);
        // The secondary shares the primary's workspace and action group instead of creating its own.
        const workspaces = plan.resources.filter((r) => r.type === "azure-native:operationalinsights:Workspace");
        assert.deepEqual(workspaces.map((r) => r.parent), ["diagnostics"]);
        const groups = plan.resources.filter((r) => r.type === "azure-native:monitor:ActionGroup");
        assert.deepEqual(groups.map((r) => r.parent), ["openai-alerts"]);
    });
});

describe("roleAssignmentName", () => {
    it("is a GUID that depends on scope, principal and role only", () => {
        const a = roleAssignmentName(accountId, "7c9e6679-7425-40de-944b-e07fc1f90ae7", "Cognitive Services OpenAI User");
        assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.equal(roleAssignmentName(accountId.toUpperCase(), "7C9E6679-7425-40DE-944B-E07FC1F90AE7", "Cognitive Services OpenAI User"), a);
        assert.notEqual(roleAssignmentName(accountId, "7c9e6679-7425-40de-944b-e07fc1f90ae7", "Cognitive Services User"), a);
        assert.notEqual(roleAssignmentName(accountId + "x", "7c9e6679-7425-40de-944b-e07fc1f90ae7", "Cognitive Services OpenAI User"), a);
    });
});
