/**
 * The projects section: Foundry projects for application teams on a kind-AIServices account, each with
 * its own managed identity and the team's roles on it. Key `projects`.
 */
import { GrantSpec, PrincipalType, readGrant } from "../access/access.config";
import type { AccountKind } from "../foundry/kind";
import { ConfigSection, Json, Reader, reportCaseCollisions } from "../core/configReader";
import { ProjectRole, ProjectRoleFormerNames, ProjectRoles } from "../access/roles";

export interface ProjectRoleConfig {
    /** Required. Entra object id (GUID) of the user, group or service principal. */
    principalId: string;
    /** Required. `User`, `Group` or `ServicePrincipal`. */
    principalType: PrincipalType;
    /** Required. `Foundry User` or `Foundry Project Manager` (their former names `Azure AI User`, `Azure AI Project Manager` are read as these). */
    role: ProjectRole;
}

export interface ProjectConfig {
    /** Required. The project's Azure name: 2-64 letters, digits, `_`, `.`, `-`, starting with a letter or digit. Part of its endpoint; changing it replaces the project. */
    name: string;
    /** Optional. Defaults to the name. What the Foundry portal shows. */
    displayName?: string;
    /** Optional. Defaults to none. */
    description?: string;
    /** Optional. Defaults to none. Who may use the project, granted on the project only. */
    roles: ProjectRoleConfig[];
}

/** Azure's rule for a project name (accounts/projects, api-version 2025-06-01). */
const ProjectName = { pattern: /^[a-zA-Z0-9][a-zA-Z0-9_.-]{1,63}$/, allowed: "2-64 letters, digits, '_', '.' or '-', starting with a letter or digit" };

/** Azure's limits on the project's display text. */
const MaxDisplayName = 256;
const MaxDescription = 1024;

const ProjectFields = ["name", "displayName", "description", "roles"] as const;
const RoleFields = ["principalId", "principalType", "role"] as const;
const ProjectGrant: GrantSpec<ProjectRole> = {
    fields: RoleFields,
    names: [...Object.keys(ProjectRoles), ...Object.keys(ProjectRoleFormerNames)],
    canonical: (name) => ProjectRoleFormerNames[name] ?? (name as ProjectRole),
    scope: "a project",
    suggested: Object.keys(ProjectRoles),
};

function readRole(r: Reader, path: string, entry: Json, seen: Map<string, string>): ProjectRoleConfig | undefined {
    return readGrant(r, path, entry, seen, ProjectGrant);
}

function readText(r: Reader, path: string, value: Json | undefined, max: number): string | undefined | null {
    if (value === undefined) return undefined;
    const text = r.string(path, value);
    if (text === undefined) return null;
    if (text.length > max) {
        r.report(path, `is ${text.length} characters long; Azure allows at most ${max}`);
        return null;
    }
    return text;
}

function readProject(r: Reader, path: string, entry: Json): ProjectConfig | undefined {
    const p = r.object(path, entry);
    if (!p) return undefined;
    r.unknownKeys(path, p, ProjectFields);
    const name = r.string(`${path}.name`, p.name, ProjectName);
    const displayName = readText(r, `${path}.displayName`, p.displayName, MaxDisplayName);
    const description = readText(r, `${path}.description`, p.description, MaxDescription);
    const list = p.roles === undefined ? [] : r.list(`${path}.roles`, p.roles);
    const seen = new Map<string, string>();
    const roles = (list ?? []).map((role, i) => readRole(r, `${path}.roles[${i}]`, role, seen));
    if (!name || displayName === null || description === null || !list || roles.includes(undefined)) return undefined;
    return { name, ...(displayName ? { displayName } : {}), ...(description ? { description } : {}), roles: roles as ProjectRoleConfig[] };
}

export const projectsSection: ConfigSection<{ projects: ProjectConfig[] }, { kind?: AccountKind }> = {
    keys: { projects: { fields: ProjectFields } },
    read(r, get, { kind }) {
        const value = get("projects");
        if (value === undefined) return { projects: [] };
        const list = r.list("projects", value);
        if (!list) return undefined;
        if (list.length > 0 && kind === "OpenAI") {
            r.report("projects", "needs kind: AIServices; projects live only in a Foundry resource (an OpenAI account has none). Set aoai:kind: AIServices, which upgrades an existing account in place");
            return undefined;
        }
        const projects = list.map((entry, i) => readProject(r, `projects[${i}]`, entry));
        const names = projects.filter((p): p is ProjectConfig => p !== undefined).map((p) => p.name);
        const twice = names.filter((n, i) => names.indexOf(n) !== i);
        for (const name of new Set(twice)) r.report(`projects.${name}`, "is listed twice; each project needs its own name");
        reportCaseCollisions(r, "projects", [...new Set(names)]);
        return projects.includes(undefined) || twice.length > 0 ? undefined : { projects: projects as ProjectConfig[] };
    },
};
