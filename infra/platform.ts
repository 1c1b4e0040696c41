import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import { AccessGrant, AccountAccess } from "./access";
import { OpenAiAccount } from "./account";
import { AccountAlerts } from "./alerts";
import { alertRules } from "./alertRules";
import { EnvironmentBudget } from "./budget";
import type { StackConfig } from "./config";
import { AccountDiagnostics } from "./diagnostics";
import { AccountEncryption } from "./encryption";
import { accountResourceId, defaultCustomSubdomain, keyVaultName, openAiEndpoint, resourceNames } from "./naming";
import { PrivateNetwork } from "./privateNetwork";
import { ChatCallerRole } from "./roles";

/** What a deployed stack reports (Contract 2 in docs/design.md); the probe reads these. Never a key. */
export interface StackOutputs {
    resourceGroupName: pulumi.Output<string>;
    accountName: pulumi.Output<string>;
    accountId: pulumi.Output<string>;
    location: string;
    /** `https://<custom-subdomain>.openai.azure.com/` */
    endpoint: pulumi.Output<string>;
    customSubdomain: pulumi.Output<string>;
    publicNetworkAccess: "Enabled" | "Disabled";
    localAuthDisabled: boolean;
    privateEndpoint: boolean;
    deployments: { name: string; model: string; version: string; sku: string; capacity: number; versionUpgradeOption: string }[];
}

/** Declares every resource of one environment from its validated configuration. */
export function createPlatform(config: StackConfig): StackOutputs {
    const names = resourceNames(config);
    const tags = { ...config.tags, environment: config.environment };
    const client = authorization.getClientConfigOutput();

    const resourceGroup = new resources.ResourceGroup("resource-group", {
        resourceGroupName: names.resourceGroup,
        location: config.location,
        tags,
    });

    const customSubdomain = config.customSubdomain
        ? pulumi.output(config.customSubdomain)
        : client.subscriptionId.apply((sub) => defaultCustomSubdomain(config, sub));

    // The key and the identity that reads it exist before the account, which is created encrypted.
    const encryption = config.encryption
        ? new AccountEncryption("encryption", {
              resourceGroupName: resourceGroup.name,
              location: config.location,
              encryption: config.encryption,
              identityName: names.accountIdentity,
              vaultName: client.subscriptionId.apply((sub) => keyVaultName(config, sub)),
              keyName: names.encryptionKey,
              subscriptionId: client.subscriptionId,
              tenantId: client.tenantId,
              deployer: { principalId: client.objectId, principalType: config.deployerPrincipalType },
              protect: config.protection.protect,
              tags,
          })
        : undefined;

    const openai = new OpenAiAccount("openai", {
        resourceGroupName: resourceGroup.name,
        location: config.location,
        accountName: names.account,
        customSubdomain,
        disableLocalAuth: config.disableLocalAuth,
        restore: config.restore,
        network: config.network,
        deployments: config.deployments,
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
    });

    if (config.privateEndpoint) {
        new PrivateNetwork("private-network", {
            resourceGroupName: resourceGroup.name,
            location: config.location,
            accountId: openai.account.id,
            deployments: openai.deployments,
            privateEndpoint: config.privateEndpoint,
            names,
            tags,
        });
    }

    const grants: AccessGrant[] = config.roleAssignments.map((a) => ({ ...a, key: `${a.principalId}-${slug(a.role)}` }));
    if (config.grantDeployerAccess) {
        grants.push({
            key: `deployer-${slug(ChatCallerRole)}`,
            principalId: client.objectId,
            principalType: config.deployerPrincipalType,
            role: ChatCallerRole,
            description: "Lets the identity that ran `pulumi up` run the post-deploy probe",
        });
    }
    if (grants.length > 0) {
        new AccountAccess("access", {
            subscriptionId: client.subscriptionId,
            accountId: openai.account.id,
            accountIdForNaming: client.subscriptionId.apply((sub) => accountResourceId(sub, names.resourceGroup, names.account)),
            grants,
        });
    }

    if (config.diagnostics.enabled) {
        const { workspace, eventHub, storageAccountId } = config.diagnostics;
        new AccountDiagnostics("diagnostics", {
            resourceGroupName: resourceGroup.name,
            location: config.location,
            accountId: openai.account.id,
            workspace: workspace.kind === "create" ? { ...workspace, name: names.logAnalyticsWorkspace } : workspace,
            ...(eventHub ? { eventHub } : {}),
            ...(storageAccountId ? { storageAccountId } : {}),
            settingName: names.diagnosticSetting,
            tags,
        });
    }

    // Alerts before the budget: the budget also notifies the action group. They watch the account, so
    // they sit under it in the plan and in `pulumi stack` trees.
    const alerts = config.alerts
        ? new AccountAlerts("openai-alerts", {
              resourceGroupName: resourceGroup.name,
              accountId: openai.account.id,
              actionGroup: { name: names.actionGroup, ...config.alerts.actionGroup },
              rules: alertRules(config.alerts, config.deployments),
              alertNamePrefix: names.alertPrefix,
              tags,
          }, { parent: openai })
        : undefined;

    if (config.budget) {
        new EnvironmentBudget("budget", {
            resourceGroupId: resourceGroup.id,
            budgetName: names.budget,
            budget: config.budget,
            ...(alerts ? { actionGroupId: alerts.actionGroupId } : {}),
        });
    }

    return {
        resourceGroupName: resourceGroup.name,
        accountName: openai.account.name,
        accountId: openai.account.id,
        location: config.location,
        endpoint: customSubdomain.apply(openAiEndpoint),
        customSubdomain,
        publicNetworkAccess: config.network.publicNetworkAccess,
        localAuthDisabled: config.disableLocalAuth,
        privateEndpoint: config.privateEndpoint !== undefined,
        deployments: config.deployments.map((d) => ({
            name: d.name,
            model: d.model,
            version: d.version,
            sku: d.sku,
            capacity: d.capacity,
            versionUpgradeOption: d.versionUpgradeOption,
        })),
    };
}

function slug(text: string): string {
    return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
