import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { v5 as uuidv5 } from "uuid";
import type { PrincipalType } from "./access.config";
import { AssignableRole, ProjectRole, ServiceRole, roleDefinitionId } from "./roles";

export interface AccessGrant {
    /** Stable logical-name suffix; not an index, so reordering the list replaces nothing. */
    key: string;
    principalId: pulumi.Input<string>;
    principalType: pulumi.Input<PrincipalType>;
    role: AssignableRole | ProjectRole | ServiceRole;
    description?: string;
}

export interface AccountAccessArgs {
    /** Required. Subscription the role definitions are read from. */
    subscriptionId: pulumi.Input<string>;
    /** Required. The account's (or project's) resource id as an output: the scope of every assignment. */
    scopeId: pulumi.Input<string>;
    /** Required. The same id known ahead of creation; seeds the assignment names. */
    scopeIdForNaming: pulumi.Input<string>;
    /** Required. Who gets which role; may be empty. */
    grants: AccessGrant[];
    /** Optional. Defaults to "the Azure OpenAI account". What the scope is, for each assignment's default description. */
    scopeDescription?: string;
}

/** Fixed namespace for assignment names, so the same (scope, principal, role) always gives the same GUID. */
const AssignmentNamespace = "3b1ab5d4-51f5-4a3f-9a7e-7a9a1e0c2f10";

/**
 * The assignment's name: a v5 UUID of scope, principal and role, like AVM's guid(scope, principal, role).
 * Azure allows one assignment per (scope, principal, role); a deterministic name makes re-runs and
 * re-imports converge instead of creating a duplicate that Azure rejects with RoleAssignmentExists.
 */
export function roleAssignmentName(scope: string, principalId: string, role: string): string {
    return uuidv5(`${scope.toLowerCase()}|${principalId.toLowerCase()}|${role}`, AssignmentNamespace);
}

/** Role assignments on the account (or one of its projects), each with `principalType` set (avoids the PrincipalNotFound replication race). */
export class AccountAccess extends pulumi.ComponentResource {
    constructor(name: string, args: AccountAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aoai:platform:AccountAccess", name, {}, opts);
        for (const grant of args.grants) {
            new authorization.RoleAssignment(
                `${name}-${grant.key}`,
                {
                    roleAssignmentName: pulumi
                        .all([args.scopeIdForNaming, grant.principalId])
                        .apply(([scope, principalId]) => roleAssignmentName(scope, principalId, grant.role)),
                    scope: args.scopeId,
                    principalId: grant.principalId,
                    principalType: grant.principalType,
                    roleDefinitionId: pulumi.output(args.subscriptionId).apply((sub) => roleDefinitionId(sub, grant.role)),
                    description: grant.description ?? `${grant.role} on ${args.scopeDescription ?? "the Azure OpenAI account"} (managed by Pulumi)`,
                },
                { parent: this },
            );
        }
        this.registerOutputs({});
    }
}
