/** The dev stack rendered in this process under mocks: the account, its outputs, what dev allows. */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { renderPlan } from "../tools/plan/offlinePlan";
import type { Plan } from "../tools/plan/planModel";
import { stackFilePath } from "../tools/repo";
import { readStackFile } from "../tools/plan/stackFile";
import { MockClient } from "../tools/plan/azureMocks";
import { defaultCustomSubdomain } from "../infra/core/naming";
import { byType, one } from "./helpers";

let plan: Plan;

describe("dev stack", () => {
    before(async () => {
        plan = await renderPlan("dev", readStackFile(stackFilePath("dev")));
    });

    it("creates an OpenAI account with the properties the platform relies on", () => {
        const account = one(plan, "azure-native:cognitiveservices:Account");
        assert.equal(account.parent, "openai");
        assert.deepEqual(
            {
                name: account.inputs.accountName,
                kind: account.inputs.kind,
                sku: account.inputs.sku,
                identity: account.inputs.identity,
                location: account.inputs.location,
                resourceGroupName: account.inputs.resourceGroupName,
            },
            {
                name: "oai-contoso-dev",
                kind: "OpenAI",
                sku: { name: "S0" },
                identity: { type: "SystemAssigned" },
                location: "eastus",
                resourceGroupName: "rg-contoso-dev",
            },
        );
        const properties = account.inputs.properties as Record<string, unknown>;
        assert.equal(properties.disableLocalAuth, false, "dev allows keys");
        assert.equal(properties.publicNetworkAccess, "Enabled");
        assert.equal(properties.restore, undefined, "restore is only sent when asked for");
        assert.equal(account.protect, false, "dev is disposable");
    });

    it("derives the custom subdomain from the subscription, stably", () => {
        const account = one(plan, "azure-native:cognitiveservices:Account");
        const subdomain = (account.inputs.properties as Record<string, unknown>).customSubDomainName;
        assert.equal(subdomain, defaultCustomSubdomain({ namePrefix: "contoso", environment: "dev" }, MockClient.subscriptionId));
        assert.match(String(subdomain), /^contoso-dev-[0-9a-f]{8}$/);
    });

    it("tags every taggable resource with the environment and the configured tags", () => {
        const taggable = plan.resources.filter((r) => r.inputs.tags !== undefined);
        assert.deepEqual(
            taggable.map((r) => r.type).sort(),
            [
                "azure-native:cognitiveservices:Account",
                "azure-native:cognitiveservices:Deployment",
                "azure-native:operationalinsights:Workspace",
                "azure-native:resources:ResourceGroup",
            ],
        );
        for (const r of taggable) {
            assert.deepEqual(r.inputs.tags, { costCenter: "cc-1234", environment: "dev", owner: "platform-team" }, r.name);
        }
    });

    it("names resources with Azure's abbreviations and the environment", () => {
        assert.equal(one(plan, "azure-native:resources:ResourceGroup").inputs.resourceGroupName, "rg-contoso-dev");
        assert.equal(one(plan, "azure-native:operationalinsights:Workspace").inputs.workspaceName, "log-contoso-dev");
    });

    it("exports exactly the Contract 2 outputs (plus documented extras)", () => {
        assert.deepEqual(plan.outputs, {
            resourceGroupName: "rg-contoso-dev",
            accountName: "oai-contoso-dev",
            accountId: `/subscriptions/${MockClient.subscriptionId}/resourceGroups/rg-contoso-dev/providers/Microsoft.CognitiveServices/accounts/oai-contoso-dev`,
            location: "eastus",
            kind: "OpenAI",
            endpoint: `https://${defaultCustomSubdomain({ namePrefix: "contoso", environment: "dev" }, MockClient.subscriptionId)}.openai.azure.com/`,
            customSubdomain: defaultCustomSubdomain({ namePrefix: "contoso", environment: "dev" }, MockClient.subscriptionId),
            publicNetworkAccess: "Enabled",
            localAuthDisabled: false,
            privateEndpoint: false,
            deployments: [{ name: "chat", model: "gpt-5.4-mini", version: "2026-03-17", sku: "GlobalStandard", capacity: 10, versionUpgradeOption: "OnceNewDefaultVersionAvailable" }],
        });
    });

    it("never exposes a key, even where keys are allowed", () => {
        const text = JSON.stringify(plan.outputs);
        assert.doesNotMatch(text, /key1|key2|primaryKey|secondaryKey|apiKey/i);
        assert.ok(!Object.keys(plan.outputs).some((k) => /key/i.test(k)), "no output is named like a key");
        // The mocks answer only getClientConfig; a listAccountKeys invoke would have failed the render.
    });

    it("has no private endpoint and keeps diagnostics on", () => {
        assert.equal(byType(plan, "azure-native:network:PrivateEndpoint").length, 0);
        const setting = one(plan, "azure-native:monitor:DiagnosticSetting");
        assert.deepEqual(setting.inputs.logs, [{ categoryGroup: "allLogs", enabled: true }]);
    });

    it("lets whoever deploys call the model, a developer or the pipeline, leaving its kind to Azure", () => {
        const assignment = one(plan, "azure-native:authorization:RoleAssignment");
        assert.equal(assignment.inputs.principalId, MockClient.objectId);
        // A fixed "User" failed with UnmatchedPrincipalType when the deploy workflow's service principal
        // ran it: the type is read from the login's token, an app-only one under the mocks.
        assert.equal(assignment.inputs.principalType, "ServicePrincipal");
        assert.match(String(assignment.inputs.roleDefinitionId), /\/roleDefinitions\/5e0bd9bd-7b93-4f28-af87-19fc36ad61bd$/);
    });
});
