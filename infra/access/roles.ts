/**
 * Built-in Azure roles by display name, with Azure's role definition GUIDs (the same in every tenant;
 * the Azure Verified Module for Cognitive Services accounts lists the same ids). The program assigns
 * only the assignable ones; the program and the policy pack both refuse the broad ones from this list.
 */
export const AssignableRoles = {
    /** Data plane: chat, completions, embeddings. What applications and the probe need. */
    "Cognitive Services OpenAI User": "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
    /** Data plane plus fine-tuning and deployment management through the data plane. */
    "Cognitive Services OpenAI Contributor": "a001fd3d-188f-4b5d-821b-7da978bf7442",
    /** Data plane for all Cognitive Services kinds; can also read keys. */
    "Cognitive Services User": "a97b65f3-24c7-4388-baec-2e87135dc908",
    /** Control plane: manage the account and deployments, list keys. No Entra data-plane access. */
    "Cognitive Services Contributor": "25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68",
} as const;
export type AssignableRole = keyof typeof AssignableRoles;

/**
 * Foundry's roles for the people and applications of one project, granted on the project (projects.config.ts).
 * Microsoft renamed them in 2026 (Azure AI User -> Foundry User, Azure AI Project Manager -> Foundry
 * Project Manager) and kept their ids; a stack may use either name, and the ids are the same in every tenant.
 */
export const ProjectRoles = {
    /** Build and run in the project: agents, evaluations, files, and calls to the account's deployments. Cannot grant access. */
    "Foundry User": "53ca6127-db72-4b80-b1b0-d745d6d5456d",
    /** Foundry User, plus managing the project and granting Foundry User (only that role) to others in it. */
    "Foundry Project Manager": "eadc314b-1a2d-4efa-be10-5d325db5065e",
} as const;
export type ProjectRole = keyof typeof ProjectRoles;

/** The names the same roles had before Microsoft renamed them, still accepted. */
export const ProjectRoleFormerNames: Readonly<Record<string, ProjectRole>> = {
    "Azure AI User": "Foundry User",
    "Azure AI Project Manager": "Foundry Project Manager",
};

/**
 * Roles refused outright: they grant far more than an OpenAI account needs (including the right to
 * grant access to others), and Owner/Contributor do not even give Entra ID data-plane access.
 */
export const BroadRoles: Readonly<Record<string, string>> = {
    Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
};

/** True for a broad role's display name, in any case. */
export function isBroadRole(name: string): boolean {
    return Object.keys(BroadRoles).some((b) => b.toLowerCase() === name.toLowerCase());
}

/** The broad role a role definition id (full id or bare GUID) points at, if any. */
export function broadRoleOf(roleDefinitionId: string): string | undefined {
    const guid = roleDefinitionId.split("/").pop()?.toLowerCase();
    return Object.keys(BroadRoles).find((name) => BroadRoles[name] === guid);
}

/**
 * Roles the program grants to identities it creates or runs as, never taken from a stack file: the
 * customer-managed key needs them on the Key Vault (both work only on vaults with Azure RBAC authorization).
 */
export const ServiceRoles = {
    /** Read, wrap and unwrap keys: what the account's identity needs on its encryption key. */
    "Key Vault Crypto Service Encryption User": "e147488a-f6f5-4113-8e2d-b22465e65bf6",
    /**
     * Create and manage keys. Key Vault answers an ARM key write on the caller's behalf through the data
     * plane and checks the caller's data-plane role (ForbiddenByRbac otherwise), so the identity running
     * `pulumi up` needs it on a vault the stack creates.
     */
    "Key Vault Crypto Officer": "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
    /** Send metrics with Entra ID: what the gateway's identity needs on the Application Insights that takes its usage (its local auth is off). */
    "Monitoring Metrics Publisher": "3913510d-42f4-4e42-8a64-420c390055eb",
} as const;
export type ServiceRole = keyof typeof ServiceRoles;

/** The role the probe and application identities need to make chat calls with Entra ID. */
export const ChatCallerRole: AssignableRole = "Cognitive Services OpenAI User";

/** Full role definition id for a subscription, as `Microsoft.Authorization/roleAssignments` expects it. */
export function roleDefinitionId(subscriptionId: string, role: AssignableRole | ServiceRole | ProjectRole): string {
    const guid = role in AssignableRoles ? AssignableRoles[role as AssignableRole] : role in ProjectRoles ? ProjectRoles[role as ProjectRole] : ServiceRoles[role as ServiceRole];
    return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
}
