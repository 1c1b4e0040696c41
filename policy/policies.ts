/**
 * The guardrails, as plain policy objects: importable by tests without starting the policy server
 * (that happens only in index.ts, when the Pulumi CLI loads the pack). Each description names the
 * Azure built-in policy or the pitfall it mirrors. Enforcement is chosen per stack through policy
 * configuration (policy/config/<stack>.json), not here: every policy defaults to advisory.
 */
import * as authorization from "@pulumi/azure-native/authorization";
import * as cognitiveservices from "@pulumi/azure-native/cognitiveservices";
import * as monitor from "@pulumi/azure-native/monitor";
import { ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { checkIpRule } from "../infra/core/ipRanges";
import { defenderForAi, gatewayTeamLimits, securityBenchmark } from "./governance";
import { BroadRoles, broadRoleOf } from "../infra/access/roles";
import { accountNameOf, accounts, hasPrivateEndpoint, pointsAtAccount } from "./accounts";
import { foundryProjects } from "./foundry";
import { hubSharedZones, sharedDnsFromHub } from "./hub";
import { operations } from "./operations";
import { contentFilterHarmCategories, customerManagedKey, dataResidency, outboundRestricted } from "./protection";
import { reachable } from "./reachability";
import { resilience } from "./resilience";

export { contentFilterHarmCategories, customerManagedKey, dataResidency, foundryProjects, hubSharedZones, operations, outboundRestricted, reachable, resilience, sharedDnsFromHub };

export const publicNetworkDisabled: StackValidationPolicy = {
    name: "openai-public-network-disabled",
    description:
        "Mirrors Azure Policy 'Cognitive Services accounts should disable public network access': an account reached through a private endpoint must not also answer on its public endpoint.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        for (const account of accounts(args.resources)) {
            const name = accountNameOf(account);
            if (hasPrivateEndpoint(args.resources, name, false) && account.props.properties?.publicNetworkAccess !== "Disabled") {
                reportViolation(`Account ${name} has a private endpoint but publicNetworkAccess is not "Disabled"; set network.publicNetworkAccess: Disabled.`, account.urn);
            }
        }
    },
};

export const networkAclDeny: ResourceValidationPolicy = {
    name: "openai-network-acl-deny",
    description:
        "Mirrors Azure Policy 'Azure AI Services resources should restrict network access': the account's network ACL denies by default, and no IP rule lets everyone (or nobody real) in.",
    enforcementLevel: "advisory",
    validateResource: validateResourceOfType(cognitiveservices.Account, (account, _args, reportViolation) => {
        if (account.properties?.networkAcls?.defaultAction !== "Deny") {
            reportViolation('Account must set properties.networkAcls.defaultAction: "Deny" (network.defaultAction).');
        }
        // The same range rules as the stack validation: a deny-by-default ACL with 0.0.0.0/0 is open.
        for (const rule of account.properties?.networkAcls?.ipRules ?? []) {
            const problem = checkIpRule(String(rule.value));
            if (problem) reportViolation(`IP rule ${rule.value} ${problem}`);
        }
    }),
};

export const localAuthDisabled: ResourceValidationPolicy = {
    name: "openai-local-auth-disabled",
    description:
        "Mirrors Azure Policy 'Azure AI Services resources should have key access disabled (disable local authentication)': only Entra ID identities can call the account.",
    enforcementLevel: "advisory",
    validateResource: validateResourceOfType(cognitiveservices.Account, (account, _args, reportViolation) => {
        if (account.properties?.disableLocalAuth !== true) {
            reportViolation("Account must set properties.disableLocalAuth: true (disableLocalAuth) so API keys stop working.");
        }
    }),
};

export const privateEndpointRequired: StackValidationPolicy = {
    name: "openai-private-endpoint",
    description: "Mirrors Azure Policy 'Cognitive Services should use private link': every account has a private endpoint with group id 'account'.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        for (const account of accounts(args.resources)) {
            const name = accountNameOf(account);
            if (!hasPrivateEndpoint(args.resources, name, true)) {
                reportViolation(`Account ${name} has no private endpoint with group id "account"; configure privateEndpoint.`, account.urn);
            }
        }
    },
};

export const diagnosticsEnabled: StackValidationPolicy = {
    name: "openai-diagnostics",
    description:
        "Mirrors Azure Policy 'Diagnostic logs in Azure AI services resources should be enabled': every account has a diagnostic setting with the allLogs category group and AllMetrics.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        const settings = args.resources.filter((r) => r.isType(monitor.DiagnosticSetting));
        for (const account of accounts(args.resources)) {
            const name = accountNameOf(account);
            const complete = settings.some(
                (s) =>
                    pointsAtAccount(s.props.resourceUri, name) &&
                    (s.props.logs ?? []).some((l: any) => l.categoryGroup === "allLogs" && l.enabled === true) &&
                    (s.props.metrics ?? []).some((m: any) => m.category === "AllMetrics" && m.enabled === true),
            );
            if (!complete) {
                reportViolation(`Account ${name} has no diagnostic setting sending allLogs and AllMetrics; keep diagnostics.enabled: true.`, account.urn);
            }
        }
    },
};

export const managedIdentity: ResourceValidationPolicy = {
    name: "openai-managed-identity",
    description: "Mirrors Azure Policy 'Cognitive Services accounts should use a managed identity': the account has a system- or user-assigned identity.",
    enforcementLevel: "advisory",
    validateResource: validateResourceOfType(cognitiveservices.Account, (account, _args, reportViolation) => {
        const type = String(account.identity?.type ?? "None");
        if (!/SystemAssigned|UserAssigned/.test(type)) {
            reportViolation(`Account identity type is "${type}"; use SystemAssigned or UserAssigned.`);
        }
    }),
};

export const pinnedModelVersion: ResourceValidationPolicy = {
    name: "openai-deployment-pinned-version",
    description:
        "Pitfall: a deployment without a pinned version, or one Azure may upgrade, changes model behaviour with no diff to review. Every deployment pins model.version; with requireNoAutoUpgrade (prod) it also uses NoAutoUpgrade.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: { requireNoAutoUpgrade: { type: "boolean", default: false } },
    },
    validateResource: validateResourceOfType(cognitiveservices.Deployment, (deployment, args, reportViolation) => {
        const { requireNoAutoUpgrade } = args.getConfig<{ requireNoAutoUpgrade: boolean }>();
        if (!deployment.properties?.model?.version) {
            reportViolation(`Deployment ${deployment.deploymentName ?? args.name} must pin properties.model.version.`);
        }
        if (requireNoAutoUpgrade && deployment.properties?.versionUpgradeOption !== "NoAutoUpgrade") {
            reportViolation(`Deployment ${deployment.deploymentName ?? args.name} must use versionUpgradeOption "NoAutoUpgrade" in this stack.`);
        }
    }),
};

export const noBroadRoles: ResourceValidationPolicy = {
    name: "no-broad-role-assignments",
    description:
        `Pitfall: ${Object.keys(BroadRoles).join(", ")} grant far more than an OpenAI account needs (and no Entra data-plane access); assign Cognitive Services OpenAI roles instead.`,
    enforcementLevel: "advisory",
    validateResource: validateResourceOfType(authorization.RoleAssignment, (assignment, _args, reportViolation) => {
        const role = broadRoleOf(String(assignment.roleDefinitionId ?? ""));
        if (role) {
            reportViolation(`Role assignment grants ${role}; use Cognitive Services OpenAI User or another Cognitive Services role.`);
        }
    }),
};

export const requiredTags: ResourceValidationPolicy = {
    name: "required-tags",
    description: "Mirrors Azure Policy 'Require a tag on resources': every taggable resource carries the tags the platform reports costs and owners by.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: { tags: { type: "array", items: { type: "string" }, default: ["environment"] } },
    },
    validateResource: (args, reportViolation) => {
        // Only resources whose inputs carry tags at all are taggable here; the rest (role assignments,
        // locks, zone groups, subnets) cannot be tagged in Azure.
        if (!("tags" in args.props)) {
            return;
        }
        const { tags } = args.getConfig<{ tags: string[] }>();
        const missing = tags.filter((t) => typeof args.props.tags?.[t] !== "string" || args.props.tags[t] === "");
        if (missing.length > 0) {
            reportViolation(`Missing required tags: ${missing.join(", ")} (set them in aoai:tags).`);
        }
    },
};

export const allPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    publicNetworkDisabled,
    networkAclDeny,
    localAuthDisabled,
    privateEndpointRequired,
    diagnosticsEnabled,
    managedIdentity,
    pinnedModelVersion,
    noBroadRoles,
    requiredTags,
    operations,
    dataResidency,
    outboundRestricted,
    customerManagedKey,
    contentFilterHarmCategories,
    resilience,
    reachable,
    foundryProjects,
    sharedDnsFromHub,
    hubSharedZones,
    defenderForAi,
    gatewayTeamLimits,
    securityBenchmark,
];
