/**
 * One region of the environment as one component: its customer-managed key, its account (content
 * filters, deployments, projects, lock), the roles on it, its diagnostic setting and its metric
 * alerts. The primary creates what the regions share (the workspace, the action group); each
 * secondary is given them, so the platform builds the primary first.
 *
 * Before this component existed these resources were top-level (the alerts sat under the account):
 * each child names where it was, so `pulumi up` moves it in state instead of replacing it in Azure.
 * The engine carries a parent's alias down to the parent's own children.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedPrincipalType } from "./access/deployer";
import { AccessGrant, AccountAccess } from "./access/access";
import { ChatCallerRole } from "./access/roles";
import { OpenAiAccount } from "./account/account";
import type { StackConfig } from "./config";
import { AccountAlerts } from "./operations/alerts";
import { alertRules } from "./operations/alertRules";
import { AccountDiagnostics } from "./operations/diagnostics";
import { AccountEncryption } from "./protection/encryption";
import { accountDefender } from "./protection/defender";
import type { RegionPlan } from "./regions.config";

/** Where a child of a region stood before regions were components: at the top of the stack. */
const WasTopLevel: pulumi.Alias[] = [{ parent: pulumi.rootStackResource }];

export interface RegionArgs {
    /** Required. The stack's validated configuration. */
    config: StackConfig;
    /** Required. This region: location, deployments with its capacities, projects (primary only), names. */
    plan: RegionPlan;
    /** Required. The account's custom subdomain (derived per subscription unless the stack names it). */
    customSubdomain: pulumi.Input<string>;
    /** Required. The account's id known before it exists; seeds the role assignments' names. */
    accountIdForNaming: pulumi.Input<string>;
    /** Required. Name of a Key Vault the region creates for its key (used with `encryption.createKeyVault`). */
    vaultName: pulumi.Input<string>;
    /** Required. Resource group of everything in the region. */
    resourceGroupName: pulumi.Input<string>;
    /** Required. Who runs `pulumi up`, in which subscription and tenant. */
    client: { subscriptionId: pulumi.Input<string>; tenantId: pulumi.Input<string>; objectId: pulumi.Input<string> };
    /** Required. The kind of the identity running `pulumi up`, for the grants it gives itself. */
    deployerType: pulumi.Input<ResolvedPrincipalType>;
    /** Required. Tags for every taggable resource. */
    tags: Record<string, string>;
    /** Optional. Defaults to none: the region creates the workspace (the primary does). The primary's workspace. */
    sharedWorkspaceId?: pulumi.Input<string>;
    /** Optional. Defaults to none: the region creates the action group (the primary does). The primary's action group. */
    sharedActionGroupId?: pulumi.Input<string>;
}

/** The account of one region with everything that watches, protects and grants access to it. */
export class Region extends pulumi.ComponentResource {
    public readonly account: OpenAiAccount;
    /** The workspace its logs go to; undefined when diagnostics are off. */
    public readonly workspaceId?: pulumi.Output<string>;
    /** The action group its alerts call; undefined without alerts. */
    public readonly actionGroupId?: pulumi.Output<string>;

    constructor(name: string, args: RegionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aoai:platform:Region", name, {}, opts);
        const { config, plan, client, tags } = args;
        const { names } = plan;
        const suffix = plan.secondary ? `-${plan.secondary}` : "";

        // The key and the identity that reads it exist before the account, which is created encrypted.
        const encryption = config.encryption
            ? new AccountEncryption(
                  `encryption${suffix}`,
                  {
                      resourceGroupName: args.resourceGroupName,
                      location: plan.location,
                      encryption: config.encryption,
                      identityName: names.accountIdentity,
                      vaultName: args.vaultName,
                      keyName: names.encryptionKey,
                      subscriptionId: client.subscriptionId,
                      tenantId: client.tenantId,
                      deployer: { principalId: client.objectId, principalType: args.deployerType },
                      protect: config.protection.protect,
                      tags,
                  },
                  { parent: this, aliases: WasTopLevel },
              )
            : undefined;

        this.account = new OpenAiAccount(
            `openai${suffix}`,
            {
                resourceGroupName: args.resourceGroupName,
                location: plan.location,
                accountName: names.account,
                kind: config.kind,
                customSubdomain: args.customSubdomain,
                disableLocalAuth: config.disableLocalAuth,
                restore: config.restore,
                network: config.network,
                deployments: plan.deployments,
                tags,
                protection: config.protection,
                contentFilters: config.contentFilters,
                outbound: config.outbound,
                // Where the account is locked in, its Key Vault stays reachable.
                ...(encryption ? { derivedOutboundHosts: [encryption.keyVaultUri.apply((uri) => new URL(uri).host)] } : {}),
                userAssignedIdentityIds: [...config.userAssignedIdentityIds, ...(encryption ? [encryption.identityId] : [])],
                ...(encryption
                    ? { encryption: { keyVaultUri: encryption.keyVaultUri, keyName: encryption.keyName, keyVersion: encryption.keyVersion, identityClientId: encryption.identityClientId, ready: encryption.ready } }
                    : {}),
                lockName: names.accountLock,
                projects: plan.projects,
            },
            { parent: this, aliases: WasTopLevel },
        );

        // The stack's role assignments on the account, and each project's on its project only.
        const grants: AccessGrant[] = config.roleAssignments.map((a) => ({ ...a, key: `${a.principalId}-${slug(a.role)}` }));
        if (config.grantDeployerAccess) {
            grants.push({
                key: `deployer-${slug(ChatCallerRole)}`,
                principalId: client.objectId,
                principalType: args.deployerType,
                role: ChatCallerRole,
                description: "Lets the identity that ran `pulumi up` run the post-deploy probe",
            });
        }
        // Each project's own identity (what its agents and evaluations run as) calls the account's
        // models: Microsoft's Foundry RBAC page has the portal assign Azure AI User (now Foundry User) on
        // the Foundry resource to it; deployments through ARM, like this one, must do it themselves.
        plan.projects.forEach((project, i) =>
            grants.push({
                key: `project-${project.name}-identity`,
                principalId: this.account.projects[i].identity.apply((identity) => identity?.principalId ?? ""),
                principalType: "ServicePrincipal",
                role: "Foundry User",
                description: `Lets project ${project.name}'s own identity (its agents and evaluations) use the account's models`,
            }),
        );
        if (grants.length > 0) {
            new AccountAccess(`access${suffix}`, { subscriptionId: client.subscriptionId, scopeId: this.account.account.id, scopeIdForNaming: args.accountIdForNaming, grants }, { parent: this, aliases: WasTopLevel });
        }
        plan.projects.forEach((project, i) => {
            if (project.roles.length === 0) return;
            new AccountAccess(
                `project-access-${project.name}`,
                {
                    subscriptionId: client.subscriptionId,
                    scopeId: this.account.projects[i].id,
                    scopeIdForNaming: pulumi.output(args.accountIdForNaming).apply((id) => `${id}/projects/${project.name}`),
                    grants: project.roles.map((role) => ({ ...role, key: `${role.principalId}-${slug(role.role)}` })),
                    scopeDescription: `the Foundry project ${project.name}`,
                },
                { parent: this, aliases: WasTopLevel },
            );
        });

        if (config.defenderForAI.accounts) accountDefender(`defender${suffix}`, { resourceGroupName: args.resourceGroupName, accountName: this.account.account.name }, this);

        // Logs: the primary's setting creates the workspace (or takes the stack's); a secondary's is given it.
        if (config.diagnostics.enabled) {
            const { workspace, eventHub, storageAccountId } = config.diagnostics;
            this.workspaceId = new AccountDiagnostics(
                `diagnostics${suffix}`,
                {
                    resourceGroupName: args.resourceGroupName,
                    location: plan.location,
                    accountId: this.account.account.id,
                    workspace: args.sharedWorkspaceId ? { kind: "existing", workspaceId: args.sharedWorkspaceId } : workspace.kind === "create" ? { ...workspace, name: names.logAnalyticsWorkspace } : workspace,
                    ...(eventHub ? { eventHub } : {}),
                    ...(storageAccountId ? { storageAccountId } : {}),
                    settingName: names.diagnosticSetting,
                    ...(encryption?.createdVaultId ? { vault: { id: encryption.createdVaultId, settingName: names.vaultDiagnosticSetting } } : {}),
                    tags,
                },
                { parent: this, aliases: WasTopLevel },
            ).workspaceId;
        }

        // Metric alerts: the primary's create the action group; a secondary's are given its id.
        if (config.alerts) {
            this.actionGroupId = new AccountAlerts(
                `openai${suffix}-alerts`,
                {
                    resourceGroupName: args.resourceGroupName,
                    accountId: this.account.account.id,
                    actionGroup: args.sharedActionGroupId ? { id: args.sharedActionGroupId } : { name: names.actionGroup, ...config.alerts.actionGroup },
                    rules: alertRules(config.alerts, plan.deployments),
                    alertNamePrefix: names.alertPrefix,
                    tags,
                },
                // They sat under the account component before regions were components.
                { parent: this, aliases: [{ parent: this.account }] },
            ).actionGroupId;
        }
        this.registerOutputs({ accountId: this.account.account.id });
    }
}

function slug(text: string): string {
    return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
