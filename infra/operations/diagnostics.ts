import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";

export interface AccountDiagnosticsArgs {
    /** Required. Resource group for a workspace this component creates. */
    resourceGroupName: pulumi.Input<string>;
    /** Required. Region for a workspace this component creates. */
    location: string;
    /** Required. The account's resource id. */
    accountId: pulumi.Input<string>;
    /** Required. An existing workspace, or the name and retention of one to create. */
    workspace: { kind: "existing"; workspaceId: pulumi.Input<string> } | { kind: "create"; name: string; retentionInDays: number };
    /** Optional. Defaults to none. An event hub to stream to as well. */
    eventHub?: { authorizationRuleId: string; name: string };
    /** Optional. Defaults to none. A storage account to archive to as well. */
    storageAccountId?: string;
    /** Required. Name of the diagnostic setting. */
    settingName: string;
    /** Optional. Defaults to none. A Key Vault the stack created for the account's key, whose logs go to the same workspace. */
    vault?: { id: pulumi.Input<string>; settingName: string };
    /** Required. Tags for a workspace this component creates. */
    tags: Record<string, string>;
}

/**
 * Sends every log category and all metrics of the account to Log Analytics (Azure Policy:
 * "Diagnostic logs in Azure AI services resources should be enabled"). Category groups rather than a
 * fixed category list, so categories Azure adds later are collected too. No retention policy: Azure
 * rejects retention on new diagnostic settings (azurerm#23051); retention lives on the workspace.
 */
export class AccountDiagnostics extends pulumi.ComponentResource {
    public readonly workspaceId: pulumi.Output<string>;

    constructor(name: string, args: AccountDiagnosticsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aoai:platform:AccountDiagnostics", name, {}, opts);
        const { workspace } = args;

        if (workspace.kind === "create") {
            this.workspaceId = new operationalinsights.Workspace(
                `${name}-workspace`,
                {
                    resourceGroupName: args.resourceGroupName,
                    workspaceName: workspace.name,
                    location: args.location,
                    sku: { name: operationalinsights.WorkspaceSkuNameEnum.PerGB2018 },
                    retentionInDays: workspace.retentionInDays,
                    // Entra ID only: nothing here sends or reads with the workspace's shared keys (resource logs
                    // take the platform path), and Microsoft's benchmark asks for it.
                    features: { disableLocalAuth: true },
                    tags: args.tags,
                },
                { parent: this },
            ).id;
        } else {
            this.workspaceId = pulumi.output(workspace.workspaceId);
        }

        new monitor.DiagnosticSetting(
            `${name}-setting`,
            {
                name: args.settingName,
                resourceUri: args.accountId,
                workspaceId: this.workspaceId,
                ...(args.eventHub ? { eventHubAuthorizationRuleId: args.eventHub.authorizationRuleId, eventHubName: args.eventHub.name } : {}),
                ...(args.storageAccountId ? { storageAccountId: args.storageAccountId } : {}),
                logs: [{ categoryGroup: "allLogs", enabled: true }],
                metrics: [{ category: "AllMetrics", enabled: true }],
            },
            { parent: this },
        );

        // The key's vault keeps its audit trail beside the account's: who read, wrapped or changed the key.
        if (args.vault) {
            new monitor.DiagnosticSetting(
                `${name}-vault-setting`,
                { name: args.vault.settingName, resourceUri: args.vault.id, workspaceId: this.workspaceId, logs: [{ categoryGroup: "allLogs", enabled: true }], metrics: [{ category: "AllMetrics", enabled: true }] },
                { parent: this },
            );
        }

        this.registerOutputs({ workspaceId: this.workspaceId });
    }
}
