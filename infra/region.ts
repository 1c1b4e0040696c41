/**
 * What each region owns: its customer-managed key, its account (content filters, deployments, lock),
 * the roles on it, its diagnostic setting and its alerts. The primary creates what the regions share
 * (the workspace, the action group); each secondary is given them. The stack calls each step for every
 * region in turn, so the primary's resources keep their place in the plan.
 */
import * as pulumi from "@pulumi/pulumi";
import { AccessGrant, AccountAccess } from "./access";
import type { ResolvedPrincipalType } from "./deployer";
import { OpenAiAccount } from "./account";
import { AccountAlerts } from "./alerts";
import { alertRules } from "./alertRules";
import type { StackConfig } from "./config";
import type { ModelDeploymentConfig } from "./deployments.config";
import { AccountDiagnostics } from "./diagnostics";
import { AccountEncryption } from "./encryption";
import { accountResourceId, defaultCustomSubdomain, keyVaultName, openAiEndpoint, resourceNames } from "./naming";
import type { ProjectConfig } from "./projects.config";
import { PrimaryPriority } from "./regions.config";
import { ChatCallerRole } from "./roles";

/** One region of the environment: the primary (`location`) or a secondary from `regions`. */
export interface RegionPlan {
    location: string;
    /** Undefined for the primary; the location for a secondary (it suffixes names). */
    secondary?: string;
    /** Pool priority at the gateway. */
    priority: number;
    /** The stack's deployments with this region's capacity. */
    deployments: ModelDeploymentConfig[];
    /** Foundry projects: the primary's account holds them; a secondary serves the same deployments only. */
    projects: ProjectConfig[];
}

/** The primary first, then each secondary with its own capacities. */
export function regionPlans(config: StackConfig): RegionPlan[] {
    return [
        { location: config.location, priority: PrimaryPriority, deployments: config.deployments, projects: config.projects },
        ...config.regions.map((r) => ({
            location: r.location,
            secondary: r.location,
            priority: r.priority,
            deployments: config.deployments.map((d) => ({ ...d, capacity: r.capacity[d.name] })),
            projects: [],
        })),
    ];
}

/** What every region is given by the stack. */
export interface StackContext {
    config: StackConfig;
    resourceGroupName: pulumi.Output<string>;
    client: { subscriptionId: pulumi.Output<string>; tenantId: pulumi.Output<string>; objectId: pulumi.Output<string> };
    /** The kind of the identity running `pulumi up`, for the grants it gives itself. */
    deployerType: pulumi.Output<ResolvedPrincipalType>;
    tags: Record<string, string>;
}

/** One region's account, as the rest of the stack refers to it. */
export interface RegionalAccount {
    plan: RegionPlan;
    openai: OpenAiAccount;
    accountName: string;
    /** The account's id known before it exists. */
    accountIdForNaming: pulumi.Output<string>;
    customSubdomain: pulumi.Output<string>;
    endpoint: pulumi.Output<string>;
}

const suffixOf = (plan: RegionPlan) => (plan.secondary ? `-${plan.secondary}` : "");

function slug(text: string): string {
    return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

/** The region's customer-managed key (when the stack has one) and its account. */
export function createRegionalAccount(ctx: StackContext, plan: RegionPlan): RegionalAccount {
    const { config, client, tags } = ctx;
    const { secondary } = plan;
    const names = resourceNames(config, secondary);
    const suffix = suffixOf(plan);

    const customSubdomain = config.customSubdomain
        ? pulumi.output(secondary ? `${config.customSubdomain}-${secondary}` : config.customSubdomain)
        : client.subscriptionId.apply((sub) => defaultCustomSubdomain(config, sub, secondary));

    // The key and the identity that reads it exist before the account, which is created encrypted.
    const encryption = config.encryption
        ? new AccountEncryption(`encryption${suffix}`, {
              resourceGroupName: ctx.resourceGroupName,
              location: plan.location,
              encryption: config.encryption,
              identityName: names.accountIdentity,
              vaultName: client.subscriptionId.apply((sub) => keyVaultName(config, sub, secondary)),
              keyName: names.encryptionKey,
              subscriptionId: client.subscriptionId,
              tenantId: client.tenantId,
              deployer: { principalId: client.objectId, principalType: ctx.deployerType },
              protect: config.protection.protect,
              tags,
          })
        : undefined;

    const openai = new OpenAiAccount(`openai${suffix}`, {
        resourceGroupName: ctx.resourceGroupName,
        location: plan.location,
        accountName: names.account,
        kind: config.kind,
        customSubdomain,
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
    });
    return {
        plan,
        openai,
        accountName: names.account,
        accountIdForNaming: client.subscriptionId.apply((sub) => accountResourceId(sub, resourceNames(config).resourceGroup, names.account)),
        customSubdomain,
        endpoint: customSubdomain.apply(openAiEndpoint),
    };
}

/** The stack's role assignments on the region's account. */
export function grantAccess(ctx: StackContext, region: RegionalAccount): void {
    const { config, client } = ctx;
    const grants: AccessGrant[] = config.roleAssignments.map((a) => ({ ...a, key: `${a.principalId}-${slug(a.role)}` }));
    if (config.grantDeployerAccess) {
        grants.push({
            key: `deployer-${slug(ChatCallerRole)}`,
            principalId: client.objectId,
            principalType: ctx.deployerType,
            role: ChatCallerRole,
            description: "Lets the identity that ran `pulumi up` run the post-deploy probe",
        });
    }
    if (grants.length > 0) {
        new AccountAccess(`access${suffixOf(region.plan)}`, { subscriptionId: client.subscriptionId, scopeId: region.openai.account.id, scopeIdForNaming: region.accountIdForNaming, grants });
    }
    // Each project's team gets its roles on its project only, never on the account.
    region.plan.projects.forEach((project, i) => {
        if (project.roles.length === 0) return;
        new AccountAccess(`project-access-${project.name}`, {
            subscriptionId: client.subscriptionId,
            scopeId: region.openai.projects[i].id,
            scopeIdForNaming: region.accountIdForNaming.apply((id) => `${id}/projects/${project.name}`),
            grants: project.roles.map((role) => ({ ...role, key: `${role.principalId}-${slug(role.role)}` })),
            scopeDescription: `the Foundry project ${project.name}`,
        });
    });
}

/**
 * The region's diagnostic setting. The primary's creates the workspace (or takes the stack's); a
 * secondary is given the primary's. Returns the workspace's id, or undefined when diagnostics are off.
 */
export function watchLogs(ctx: StackContext, region: RegionalAccount, sharedWorkspaceId?: pulumi.Output<string>): pulumi.Output<string> | undefined {
    const { config, tags } = ctx;
    if (!config.diagnostics.enabled) return undefined;
    const names = resourceNames(config, region.plan.secondary);
    const { workspace, eventHub, storageAccountId } = config.diagnostics;
    return new AccountDiagnostics(`diagnostics${suffixOf(region.plan)}`, {
        resourceGroupName: ctx.resourceGroupName,
        location: region.plan.location,
        accountId: region.openai.account.id,
        workspace: sharedWorkspaceId ? { kind: "existing", workspaceId: sharedWorkspaceId } : workspace.kind === "create" ? { ...workspace, name: names.logAnalyticsWorkspace } : workspace,
        ...(eventHub ? { eventHub } : {}),
        ...(storageAccountId ? { storageAccountId } : {}),
        settingName: names.diagnosticSetting,
        tags,
    }).workspaceId;
}

/**
 * The region's metric alerts, under its account in the plan and in `pulumi stack` trees. The primary's
 * create the action group; a secondary's are given its id. Returns the group's id, or undefined.
 */
export function watchMetrics(ctx: StackContext, region: RegionalAccount, sharedActionGroupId?: pulumi.Output<string>): pulumi.Output<string> | undefined {
    const { config, tags } = ctx;
    if (!config.alerts) return undefined;
    const names = resourceNames(config, region.plan.secondary);
    return new AccountAlerts(
        `openai${suffixOf(region.plan)}-alerts`,
        {
            resourceGroupName: ctx.resourceGroupName,
            accountId: region.openai.account.id,
            actionGroup: sharedActionGroupId ? { id: sharedActionGroupId } : { name: names.actionGroup, ...config.alerts.actionGroup },
            rules: alertRules(config.alerts, region.plan.deployments),
            alertNamePrefix: names.alertPrefix,
            tags,
        },
        { parent: region.openai },
    ).actionGroupId;
}
