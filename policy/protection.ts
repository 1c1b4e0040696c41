/** The protection guardrails: where prompts are processed, what the account may call, whose key encrypts it, what its filters block. */
import * as cognitiveservices from "@pulumi/azure-native/cognitiveservices";
import * as keyvault from "@pulumi/azure-native/keyvault";
import { ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { HarmCategories } from "../infra/protection/contentFilters.config";
import { DataResidencies, DataResidency, residencyProblem } from "../infra/protection/residency";
import { RequiredSwitch, accountNameOf, accounts, deploymentsOf, isRequired } from "./accounts";

export const dataResidency: StackValidationPolicy = {
    name: "openai-data-residency",
    description:
        "Pitfall: a deployment SKU quietly breaking data residency (Global SKUs may process prompts in any geography, DataZone SKUs anywhere in the data zone). Where the stack's policy config declares residency (datazone or region), no deployment's SKU may break it.",
    enforcementLevel: "advisory",
    configSchema: { properties: { residency: { type: "string", enum: [...DataResidencies], default: "none" } } },
    validateStack: (args, reportViolation) => {
        const { residency } = args.getConfig<{ residency: DataResidency }>();
        for (const account of accounts(args.resources)) {
            const name = accountNameOf(account);
            for (const d of deploymentsOf(args.resources, name)) {
                const problem = residencyProblem(residency, String(d.props.sku?.name ?? ""), String(account.props.location ?? ""));
                if (problem) reportViolation(`Deployment ${d.props.deploymentName}: ${problem} (aoai:deployments[].sku, aoai:dataResidency).`, account.urn);
            }
        }
    },
};

export const outboundRestricted: ResourceValidationPolicy = {
    name: "openai-outbound-restricted",
    description:
        "Pitfall: an account that may call out anywhere can leak data (Microsoft's data loss prevention for Azure AI services). Where the stack's policy config sets required (prod, staging), it calls out only to listed hosts (restrictOutboundNetworkAccess).",
    enforcementLevel: "advisory",
    configSchema: RequiredSwitch,
    validateResource: validateResourceOfType(cognitiveservices.Account, (account, args, reportViolation) => {
        if (isRequired(args) && account.properties?.restrictOutboundNetworkAccess !== true) {
            reportViolation("Account must set properties.restrictOutboundNetworkAccess: true (aoai:outbound.restrict).");
        }
    }),
};

export const customerManagedKey: ResourceValidationPolicy = {
    name: "openai-customer-managed-key",
    description:
        "Mirrors Azure Policy 'Cognitive Services accounts should enable data encryption with a customer-managed key': where the stack's policy config sets required (prod), the account is encrypted with a Key Vault key read by a user-assigned identity; and any vault in the stack keeps soft delete, purge protection and RBAC, without which Azure refuses the key or it can be lost.",
    enforcementLevel: "advisory",
    configSchema: RequiredSwitch,
    validateResource: [
        validateResourceOfType(cognitiveservices.Account, (account, args, reportViolation) => {
            if (!isRequired(args)) return;
            const e = account.properties?.encryption;
            if (e?.keySource !== "Microsoft.KeyVault" || !e.keyVaultProperties?.keyVaultUri || !e.keyVaultProperties?.keyName) {
                reportViolation("Account must be encrypted with a customer-managed key (properties.encryption.keySource: Microsoft.KeyVault); set aoai:encryption.");
            } else if (!e.keyVaultProperties.identityClientId) {
                reportViolation("Account's customer-managed key must be read by a user-assigned identity (keyVaultProperties.identityClientId), so it is encrypted from its creation.");
            }
        }),
        validateResourceOfType(keyvault.Vault, (vault, _args, reportViolation) => {
            const p = vault.properties;
            const missing = [
                p?.enablePurgeProtection !== true ? "enablePurgeProtection" : "",
                p?.enableSoftDelete === false ? "enableSoftDelete" : "",
                p?.enableRbacAuthorization !== true ? "enableRbacAuthorization" : "",
            ].filter(Boolean);
            if (missing.length > 0) reportViolation(`Key Vault ${vault.vaultName ?? ""} must set ${missing.join(", ")}: true to hold a customer-managed key.`);
        }),
    ],
};

/** A stack's recorded reason for letting one policy switch one harm category off. */
interface HarmExemption {
    policy: string;
    category: string;
    reason: string;
}

export const contentFilterHarmCategories: ResourceValidationPolicy = {
    name: "openai-content-filter-harm-categories",
    description:
        "Pitfall: a content filter policy that switches a harm category off lets harmful prompts and completions through unseen. Every content filter policy keeps Hate, Sexual, Selfharm and Violence enabled and blocking on prompt and completion, unless the stack's policy config exempts that policy and category with a reason.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            exemptions: {
                type: "array",
                default: [],
                items: {
                    type: "object",
                    required: ["policy", "category", "reason"],
                    additionalProperties: false,
                    properties: {
                        policy: { type: "string", minLength: 1 },
                        category: { type: "string", enum: Object.values(HarmCategories) },
                        reason: { type: "string", minLength: 20 },
                    },
                },
            },
        },
    },
    validateResource: validateResourceOfType(cognitiveservices.RaiPolicy, (policy, args, reportViolation) => {
        const name = String(policy.raiPolicyName ?? args.name);
        const { exemptions } = args.getConfig<{ exemptions: HarmExemption[] }>();
        const filters = policy.properties?.contentFilters ?? [];
        for (const category of Object.values(HarmCategories)) {
            if (exemptions.some((e) => e.policy === name && e.category === category && e.reason.trim().length >= 20)) continue;
            for (const source of ["Prompt", "Completion"]) {
                const f = filters.find((x) => x.name === category && x.source === source);
                if (f?.enabled !== true || f.blocking !== true) {
                    reportViolation(`Content filter policy ${name} does not block ${category} on ${source}; set a threshold (Low, Medium, High), or record an exemption with a reason in the stack's policy config.`);
                }
            }
        }
    }),
};
