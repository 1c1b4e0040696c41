/**
 * Built-in Azure roles this project may assign on the account, by display name.
 * GUIDs are Azure's built-in role definition ids (same in every tenant); see
 * Azure/bicep-registry-modules avm/res/cognitive-services/account `builtInRoleNames`.
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
 * Roles refused outright: they grant far more than an OpenAI account needs (including the right to
 * grant access to others), and Owner/Contributor do not even give Entra ID data-plane access.
 */
export const BroadRoles: readonly string[] = [
    "Owner",
    "Contributor",
    "User Access Administrator",
    "Role Based Access Control Administrator",
];

/** The role the probe and application identities need to make chat calls with Entra ID. */
export const ChatCallerRole: AssignableRole = "Cognitive Services OpenAI User";

/** Full role definition id for a subscription, as `Microsoft.Authorization/roleAssignments` expects it. */
export function roleDefinitionId(subscriptionId: string, role: AssignableRole): string {
    return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${AssignableRoles[role]}`;
}
