/**
 * The gateway's teams (key `gateway.teams`): who each caller is, which deployments it may call, and
 * how many tokens it may use. With teams listed the gateway refuses every caller it cannot place in
 * one (403 UnknownCaller), refuses a team's call to a deployment not in its list (403
 * DeploymentNotAllowed), limits each team with its own `llm-token-limit` counter (429 past the rate,
 * 403 past the quota) and emits each team's tokens as metrics, by deployment and model.
 *
 * A team is recognised by one of: the client ids of its applications (the token's `azp` in v2.0
 * tokens, `appid` in v1.0), its Entra groups (the token's `groups` claim, which the gateway's app
 * registration must emit), or an API Management subscription to the product `team-<name>` for a
 * team that cannot get Entra tokens. Rates and quotas are fixed numbers in the policy: Azure allows
 * no policy expression in `token-quota`, so each team gets its own branch.
 */
import { Json, Reader } from "../core/configReader";
import { checkGuid } from "../core/validators";

export const TokenQuotaPeriods = ["Hourly", "Daily", "Weekly", "Monthly", "Yearly"] as const;
export type TokenQuotaPeriod = (typeof TokenQuotaPeriods)[number];

/** How the gateway places a caller in a team. */
export type TeamRecognition =
    | { kind: "applications"; clientIds: string[] }
    | { kind: "groups"; groupIds: string[] }
    /** An API Management subscription to the product `team-<name>`, sent as the `api-key` header. */
    | { kind: "subscription" };

export interface TeamConfig {
    /** Required. 2-32 lowercase letters, digits or `-`, starting with a letter: names its counter, its product and its metrics. */
    name: string;
    /** Required. Exactly one of `applications`, `groups` or `subscription: true`. */
    recognisedBy: TeamRecognition;
    /** Required. Names from aoai:deployments the team may call; another answers 403 DeploymentNotAllowed. */
    deployments: string[];
    /** Optional. Defaults to none (metered, not limited). Tokens per minute across the team's callers; past it, 429. */
    tokensPerMinute?: number;
    /** Optional. Defaults to none. Tokens per `tokenQuotaPeriod`; past it, 403 until the period ends. */
    tokenQuota?: number;
    /** Optional. Defaults to `Monthly` (with `tokenQuota`). Windows start at UTC boundaries. */
    tokenQuotaPeriod: TokenQuotaPeriod;
}

export const TeamFields = ["name", "applications", "groups", "subscription", "deployments", "tokensPerMinute", "tokenQuota", "tokenQuotaPeriod"] as const;
const TeamName = { pattern: /^[a-z][a-z0-9-]{1,31}$/, allowed: "2-32 lowercase letters, digits or '-', starting with a letter" };
/** Learn caps a deployment's rate far below this; the bound only refuses typing slips. */
const MaxTokensPerMinute = 100_000_000;
const MaxTokenQuota = 1_000_000_000_000;

function readRecognition(r: Reader, path: string, t: Record<string, Json>): TeamRecognition | undefined {
    const given = (["applications", "groups", "subscription"] as const).filter((k) => t[k] !== undefined);
    if (given.length !== 1) {
        r.report(path, `${given.length ? `sets ${given.join(" and ")}` : "sets none of applications, groups, subscription"}; give exactly one, so every caller belongs to one team`);
        return undefined;
    }
    if (given[0] === "subscription") {
        if (t.subscription !== true && t.subscription !== "true") {
            r.report(`${path}.subscription`, "is true or left out: a team recognised by its API Management subscription sets subscription: true");
            return undefined;
        }
        return { kind: "subscription" };
    }
    const key = given[0];
    const ids = r.stringList(`${path}.${key}`, t[key], checkGuid);
    if (ids.length === 0) {
        r.report(`${path}.${key}`, `lists no ${key === "applications" ? "client id" : "group object id"}; list at least one`);
        return undefined;
    }
    return key === "applications" ? { kind: "applications", clientIds: ids } : { kind: "groups", groupIds: ids };
}

function readTeam(r: Reader, path: string, entry: Json, deploymentNames: readonly string[]): TeamConfig | undefined {
    const t = r.object(path, entry);
    if (!t) return undefined;
    r.unknownKeys(path, t, TeamFields);
    const name = r.string(`${path}.name`, t.name, TeamName);
    const recognisedBy = readRecognition(r, path, t);
    const deployments = t.deployments === undefined
        ? (r.report(`${path}.deployments`, `is required: the deployments the team may call (${deploymentNames.join(", ")})`), [])
        : r.stringList(`${path}.deployments`, t.deployments, (d) => (deploymentNames.includes(d) ? undefined : `is not a deployment of this stack; use one of ${deploymentNames.join(", ")}`));
    if (t.deployments !== undefined && Array.isArray(t.deployments) && t.deployments.length === 0) {
        r.report(`${path}.deployments`, `lists none; a team may call at least one deployment (${deploymentNames.join(", ")})`);
    }
    const tokensPerMinute = t.tokensPerMinute === undefined ? null : r.integer(`${path}.tokensPerMinute`, t.tokensPerMinute, 1, MaxTokensPerMinute, "tokens per minute");
    const tokenQuota = t.tokenQuota === undefined ? null : r.integer(`${path}.tokenQuota`, t.tokenQuota, 1, MaxTokenQuota, "tokens per period");
    const tokenQuotaPeriod = t.tokenQuotaPeriod === undefined ? "Monthly" : r.oneOf(`${path}.tokenQuotaPeriod`, t.tokenQuotaPeriod, TokenQuotaPeriods);
    if (t.tokenQuotaPeriod !== undefined && t.tokenQuota === undefined) r.report(`${path}.tokenQuotaPeriod`, "needs tokenQuota: the period is how often the quota starts again");
    if (!name || !recognisedBy || deployments.length === 0 || tokensPerMinute === undefined || tokenQuota === undefined || !tokenQuotaPeriod || (t.tokenQuotaPeriod !== undefined && t.tokenQuota === undefined)) {
        return undefined;
    }
    return { name, recognisedBy, deployments, ...(tokensPerMinute ? { tokensPerMinute } : {}), ...(tokenQuota ? { tokenQuota } : {}), tokenQuotaPeriod };
}

/** An id in two teams would make one caller two teams' at once: refused, naming both. */
function reportSharedIds(r: Reader, teams: TeamConfig[]): void {
    const owner = new Map<string, string>();
    for (const team of teams) {
        const ids = team.recognisedBy.kind === "applications" ? team.recognisedBy.clientIds : team.recognisedBy.kind === "groups" ? team.recognisedBy.groupIds : [];
        for (const id of ids) {
            const earlier = owner.get(id.toLowerCase());
            if (earlier) r.report(`gateway.teams.${team.name}`, `shares ${id} with team ${earlier}; a caller must belong to one team`);
            else owner.set(id.toLowerCase(), team.name);
        }
    }
}

/** Reads `gateway.teams`; an empty list (or none) means any caller with a valid token, as without teams. */
export function readTeams(r: Reader, value: Json | undefined, deploymentNames: readonly string[]): TeamConfig[] | undefined {
    if (value === undefined) return [];
    const list = r.list("gateway.teams", value);
    if (!list) return undefined;
    const problemsBefore = r.problems.length;
    const teams = list.map((entry, i) => readTeam(r, `gateway.teams[${i}]`, entry, deploymentNames));
    const read = teams.filter((t): t is TeamConfig => t !== undefined);
    const names = read.map((t) => t.name);
    const twice = names.filter((n, i) => names.indexOf(n) !== i);
    for (const name of new Set(twice)) r.report(`gateway.teams.${name}`, "is listed twice; each team needs its own name");
    reportSharedIds(r, read);
    // A team that could not be read has said why; none is ever dropped silently.
    return r.problems.length > problemsBefore || read.length < teams.length ? undefined : read;
}

/** Reads `gateway.pricePerMillionTokens`: what a million tokens of each deployed model costs, for the chargeback query. */
export function readPrices(r: Reader, value: Json | undefined, models: readonly string[]): Record<string, number> | undefined {
    if (value === undefined) return {};
    const path = "gateway.pricePerMillionTokens";
    const prices = r.object(path, value);
    if (!prices) return undefined;
    const problemsBefore = r.problems.length;
    for (const [model, price] of Object.entries(prices)) {
        if (!models.includes(model)) r.report(`${path}.${model}`, `is not a model this stack deploys; use one of ${models.join(", ")}`);
        else if (typeof price !== "number" || !Number.isFinite(price) || price < 0 || price > 1_000_000) r.report(`${path}.${model}`, `${JSON.stringify(price)} is not allowed; expected a price from 0 to 1000000 in your billing currency`);
    }
    return r.problems.length > problemsBefore ? undefined : (prices as Record<string, number>);
}
