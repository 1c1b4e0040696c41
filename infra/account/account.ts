import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as cognitiveservices from "@pulumi/azure-native/cognitiveservices";
import type * as inputs from "@pulumi/azure-native/types/input";
import type { AccountKind } from "../foundry/kind";
import type { ContentFiltersConfig } from "../protection/contentFilters.config";
import { createContentFilters } from "../protection/contentFilters";
import type { ModelDeploymentConfig } from "../deployments/deployments.config";
import type { NetworkConfig } from "../network/network.config";
import type { OutboundConfig } from "../protection/outbound.config";
import type { ProtectionConfig } from "../protection/protection.config";
import { createModelDeployments } from "../deployments/deployments";
import type { ProjectConfig } from "../foundry/projects.config";

export interface OpenAiAccountArgs {
    /** Required. Resource group that holds the account. */
    resourceGroupName: pulumi.Input<string>;
    /** Required. Azure region, e.g. `eastus`. */
    location: string;
    /** Required. Account name, unique in the resource group. */
    accountName: string;
    /** Required. `OpenAI`, or `AIServices` for a Foundry resource (project management on). */
    kind: AccountKind;
    /** Required. Global custom subdomain; changing it replaces the account and its endpoint. */
    customSubdomain: pulumi.Input<string>;
    /** Required. `true` turns off API keys so only Entra ID tokens work. */
    disableLocalAuth: boolean;
    /** Required. `true` recovers a soft-deleted account of the same name instead of creating one. */
    restore: boolean;
    /** Required. Public access and firewall rules. */
    network: NetworkConfig;
    /** Required. Model deployments, written one at a time in this order. */
    deployments: ModelDeploymentConfig[];
    /** Required. Tags for the account and its deployments. */
    tags: Record<string, string>;
    /** Required. Content filter policies and blocklists, written before the deployments; may be empty. */
    contentFilters: ContentFiltersConfig;
    /** Required. Whether the account may call out, and where. */
    outbound: OutboundConfig;
    /** Optional. Defaults to none. Hosts the stack itself adds to `outbound.allowedFqdns` (its Key Vault). */
    derivedOutboundHosts?: pulumi.Input<string>[];
    /** Required. User-assigned identities beside the system-assigned one; may be empty. */
    userAssignedIdentityIds: pulumi.Input<string>[];
    /** Optional. Defaults to Microsoft-managed keys. The customer-managed key, read with a user-assigned identity. */
    encryption?: AccountEncryptionSettings;
    /** Required. Pulumi protect and the delete lock. */
    protection: ProtectionConfig;
    /** Required. Name of the CanNotDelete lock (used when `protection.lock` is true). */
    lockName: string;
    /** Required. Foundry projects (kind AIServices), written after the deployments; may be empty. */
    projects: ProjectConfig[];
}

/** What the account needs of its customer-managed key (encryption.ts makes it). */
export interface AccountEncryptionSettings {
    keyVaultUri: pulumi.Input<string>;
    keyName: string;
    keyVersion?: pulumi.Input<string>;
    /** Client id of a user-assigned identity the account carries, with its role on the key. */
    identityClientId: pulumi.Input<string>;
    /** The account is created after these (the identity's role on the key), so it is encrypted from the start. */
    ready: pulumi.Resource[];
}

/** The Azure OpenAI (or Foundry) account with its content filters, model deployments, projects and, when asked for, its delete lock. */
export class OpenAiAccount extends pulumi.ComponentResource {
    public readonly account: cognitiveservices.Account;
    public readonly deployments: cognitiveservices.Deployment[];
    public readonly projects: cognitiveservices.Project[];
    /** Every write under the account, in the order they are made: what waits for the account to settle waits for these. */
    public readonly writes: pulumi.Resource[];

    constructor(name: string, args: OpenAiAccountArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aoai:platform:OpenAiAccount", name, {}, opts);

        const { network } = args;
        this.account = new cognitiveservices.Account(
            `${name}-account`,
            {
                resourceGroupName: args.resourceGroupName,
                accountName: args.accountName,
                location: args.location,
                // An account Azure has as another kind never gets here: checkLiveKinds (foundry/liveKinds.ts) stops first.
                kind: args.kind,
                sku: { name: "S0" },
                // A system-assigned identity lets the account reach customer-managed keys and other
                // services without secrets (Azure Policy: "Cognitive Services accounts should use a managed identity").
                // User-assigned ones sit beside it: the customer-managed key's, and any the stack names.
                identity:
                    args.userAssignedIdentityIds.length > 0
                        ? { type: cognitiveservices.ResourceIdentityType.SystemAssigned_UserAssigned, userAssignedIdentities: args.userAssignedIdentityIds }
                        : { type: cognitiveservices.ResourceIdentityType.SystemAssigned },
                properties: {
                    customSubDomainName: args.customSubdomain,
                    // Projects need it; Azure turns it on when it upgrades an account and cannot turn it off.
                    ...(args.kind === "AIServices" ? { allowProjectManagement: true } : {}),
                    disableLocalAuth: args.disableLocalAuth,
                    publicNetworkAccess: network.publicNetworkAccess,
                    networkAcls: {
                        defaultAction: network.defaultAction,
                        bypass: network.bypass,
                        ipRules: network.ipRules.map((value) => ({ value })),
                        virtualNetworkRules: network.virtualNetworkRules.map((id) => ({ id, ignoreMissingVnetServiceEndpoint: false })),
                    },
                    ...(args.restore ? { restore: true } : {}),
                    // Data loss prevention: the account calls out only to these hosts.
                    ...(args.outbound.restrict
                        ? { restrictOutboundNetworkAccess: true, allowedFqdnList: [...args.outbound.allowedFqdns, ...(args.derivedOutboundHosts ?? [])] }
                        : {}),
                    ...(args.encryption ? { encryption: encryptionProperties(args.encryption) } : {}),
                },
                tags: args.tags,
            },
            { parent: this, protect: args.protection.protect, dependsOn: args.encryption?.ready ?? [] },
        );

        const filters = createContentFilters(name, { resourceGroupName: args.resourceGroupName, accountName: this.account.name, contentFilters: args.contentFilters }, this);
        this.deployments = createModelDeployments(
            name,
            { resourceGroupName: args.resourceGroupName, accountName: this.account.name, deployments: args.deployments, tags: args.tags, after: filters[filters.length - 1] },
            this,
        );

        // Projects are account writes too (one at a time, azurerm#22607), after the last deployment.
        this.projects = [];
        for (const p of args.projects) {
            const previous = this.projects[this.projects.length - 1] ?? this.deployments[this.deployments.length - 1] ?? filters[filters.length - 1];
            this.projects.push(
                new cognitiveservices.Project(
                    `${name}-project-${p.name}`,
                    {
                        resourceGroupName: args.resourceGroupName,
                        accountName: this.account.name,
                        projectName: p.name,
                        location: args.location,
                        // Its own identity: what the project's agents and connections act as, never a key.
                        identity: { type: cognitiveservices.ResourceIdentityType.SystemAssigned },
                        properties: { displayName: p.displayName ?? p.name, ...(p.description ? { description: p.description } : {}) },
                        tags: args.tags,
                    },
                    { parent: this, dependsOn: previous ? [previous] : [] },
                ),
            );
        }
        this.writes = [...this.deployments, ...this.projects];

        if (args.protection.lock) {
            // After the deployments and projects: on `pulumi destroy` the lock then goes before them, and
            // while it exists Azure refuses to delete (or replace) the account and everything under it.
            new authorization.ManagementLockByScope(
                `${name}-lock`,
                {
                    scope: this.account.id,
                    lockName: args.lockName,
                    level: authorization.LockLevel.CanNotDelete,
                    notes: "Managed by Pulumi (aoai). Blocks deleting or replacing the account and its model deployments.",
                },
                { parent: this, dependsOn: this.writes },
            );
        }

        this.registerOutputs({ accountId: this.account.id });
    }
}

function encryptionProperties(e: AccountEncryptionSettings): inputs.cognitiveservices.EncryptionArgs {
    return {
        keySource: cognitiveservices.KeySource.Microsoft_KeyVault,
        keyVaultProperties: {
            keyVaultUri: e.keyVaultUri,
            keyName: e.keyName,
            ...(e.keyVersion ? { keyVersion: e.keyVersion } : {}),
            identityClientId: e.identityClientId,
        },
    };
}
