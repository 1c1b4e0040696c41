/**
 * The access section: who may call the account with Entra ID, through role assignments on it.
 * Keys `roleAssignments`, `grantDeployerAccess`, `deployerPrincipalType`.
 */
import { ConfigSection, Json, Reader, show } from "./configReader";
import { AssignableRole, AssignableRoles, isBroadRole } from "./roles";
import { checkGuid } from "./validators";

export const PrincipalTypes = ["User", "Group", "ServicePrincipal"] as const;
export type PrincipalType = (typeof PrincipalTypes)[number];

/**
 * `Auto` follows whoever runs `pulumi up` (deployer.ts reads it from the login's token), so one stack
 * can be deployed from a laptop and from the deploy workflow; a named type must match the principal,
 * or Azure answers UnmatchedPrincipalType.
 */
export const DeployerPrincipalTypes = ["Auto", "User", "ServicePrincipal"] as const;
export type DeployerPrincipalType = (typeof DeployerPrincipalTypes)[number];

export interface RoleAssignmentConfig {
    /** Required. Entra object id (GUID) of the user, group or service principal. */
    principalId: string;
    /** Required. `User`, `Group` or `ServicePrincipal`. */
    principalType: PrincipalType;
    /** Required. One of the assignable Cognitive Services roles (roles.ts). */
    role: AssignableRole;
    /** Optional. Defaults to a sentence naming the role. */
    description?: string;
}

export interface AccessConfig {
    /** Optional. Defaults to none. */
    roleAssignments: RoleAssignmentConfig[];
    /** Optional. Defaults to `false`. Gives the identity running `pulumi up` the chat caller role, for the probe. */
    grantDeployerAccess: boolean;
    /** Optional. Defaults to `Auto`: the kind of the identity running `pulumi up` (deployer.ts). */
    deployerPrincipalType: DeployerPrincipalType;
}

const AssignmentFields = ["principalId", "principalType", "role", "description"] as const;

const roleNames = Object.keys(AssignableRoles) as AssignableRole[];

function readAssignment(r: Reader, path: string, entry: Json, seen: Map<string, string>): RoleAssignmentConfig | undefined {
    const a = r.object(path, entry);
    if (!a) return undefined;
    r.unknownKeys(path, a, AssignmentFields);
    const principalId = r.checked(`${path}.principalId`, a.principalId, checkGuid);
    const principalType = r.oneOf(`${path}.principalType`, a.principalType, PrincipalTypes);
    let role: AssignableRole | undefined;
    if (typeof a.role === "string" && isBroadRole(a.role)) {
        r.report(`${path}.role`, `${show(a.role)} is refused: it is far broader than an OpenAI account needs; use one of ${roleNames.join(", ")}`);
    } else {
        role = r.oneOf(`${path}.role`, a.role, roleNames);
    }
    const description = a.description === undefined ? undefined : r.string(`${path}.description`, a.description);
    if (!principalId || !principalType || !role) return undefined;
    const key = `${principalId.toLowerCase()}|${role}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
        r.report(path, `assigns ${role} to ${principalId} again (see ${earlier}); each principal needs a role once`);
        return undefined;
    }
    seen.set(key, path);
    return { principalId: principalId.toLowerCase(), principalType, role, ...(description ? { description } : {}) };
}

export const accessSection: ConfigSection<AccessConfig> = {
    keys: {
        roleAssignments: { fields: AssignmentFields },
        grantDeployerAccess: { type: "boolean" },
        deployerPrincipalType: { type: "string" },
    },
    read(r, get) {
        const list = get("roleAssignments") === undefined ? [] : r.list("roleAssignments", get("roleAssignments"));
        const seen = new Map<string, string>();
        const roleAssignments = (list ?? []).map((entry, index) => readAssignment(r, `roleAssignments[${index}]`, entry, seen)).filter((a): a is RoleAssignmentConfig => a !== undefined);
        const grantDeployerAccess = get("grantDeployerAccess") === undefined ? false : r.boolean("grantDeployerAccess", get("grantDeployerAccess"));
        const deployerPrincipalType = get("deployerPrincipalType") === undefined ? "Auto" : r.oneOf("deployerPrincipalType", get("deployerPrincipalType"), DeployerPrincipalTypes);
        if (!list || grantDeployerAccess === undefined || !deployerPrincipalType) return undefined;
        return { roleAssignments, grantDeployerAccess, deployerPrincipalType };
    },
};
