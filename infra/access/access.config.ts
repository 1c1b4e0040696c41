/**
 * The access section: who may call the account with Entra ID, through role assignments on it.
 * Keys `roleAssignments`, `grantDeployerAccess`, `deployerPrincipalType`.
 */
import { ConfigSection, Json, Reader, isObject, show } from "../core/configReader";
import { AssignableRole, AssignableRoles, isBroadRole } from "./roles";
import { checkGuid } from "../core/validators";

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

/** What a role grant in a stack file names, checked: who, what kind of principal, which role. */
export interface GrantSpec<R extends string> {
    /** The keys a grant may have. */
    fields: readonly string[];
    /** Every role name a stack may write. */
    names: readonly string[];
    /** The role a written name means (a former name reads as the current one). */
    canonical: (name: string) => R;
    /** What the roles are granted on, for the broad-role message. */
    scope: string;
    /** The roles to suggest instead of a broad one. */
    suggested: readonly string[];
}

/**
 * Reads one grant `{principalId, principalType, role, ...}`: a broad role is refused, and a principal
 * given the same role twice (`seen` holds the earlier paths) is reported. Fields of the caller's own
 * (listed in `spec.fields`) are the caller's to read.
 */
export function readGrant<R extends string>(r: Reader, path: string, entry: Json, seen: Map<string, string>, spec: GrantSpec<R>): { principalId: string; principalType: PrincipalType; role: R } | undefined {
    const a = r.object(path, entry);
    if (!a) return undefined;
    r.unknownKeys(path, a, spec.fields);
    const principalId = r.checked(`${path}.principalId`, a.principalId, checkGuid);
    const principalType = r.oneOf(`${path}.principalType`, a.principalType, PrincipalTypes);
    let role: R | undefined;
    if (typeof a.role === "string" && isBroadRole(a.role)) {
        r.report(`${path}.role`, `${show(a.role)} is refused: it is far broader than ${spec.scope} needs; use one of ${spec.suggested.join(", ")}`);
    } else {
        const named = r.oneOf(`${path}.role`, a.role, spec.names);
        role = named === undefined ? undefined : spec.canonical(named);
    }
    if (!principalId || !principalType || !role) return undefined;
    const key = `${principalId.toLowerCase()}|${role}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
        r.report(path, `assigns ${role} to ${principalId} again (see ${earlier}); each principal needs a role once`);
        return undefined;
    }
    seen.set(key, path);
    return { principalId: principalId.toLowerCase(), principalType, role };
}

const AccountGrant: GrantSpec<AssignableRole> = { fields: AssignmentFields, names: roleNames, canonical: (name) => name as AssignableRole, scope: "an OpenAI account", suggested: roleNames };

function readAssignment(r: Reader, path: string, entry: Json, seen: Map<string, string>): RoleAssignmentConfig | undefined {
    // Read beside the grant, so a bad description is reported together with a bad principal or role.
    const given = isObject(entry) ? entry.description : undefined;
    const description = given === undefined ? undefined : r.string(`${path}.description`, given);
    const grant = readGrant(r, path, entry, seen, AccountGrant);
    if (!grant || (given !== undefined && !description)) return undefined;
    return { principalId: grant.principalId, principalType: grant.principalType, role: grant.role, ...(description ? { description } : {}) };
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
