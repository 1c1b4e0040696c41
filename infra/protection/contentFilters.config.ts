/**
 * The content filters section: named filter policies (RAI policies) and custom blocklists, reviewed in
 * a pull request like any other change; each deployment names its policy in `raiPolicyName`.
 * Key `contentFilters` (`policies`, `blocklists`).
 */
import { ConfigSection, Json, Reader, isEmptyMapping, isObject, show, reportCaseCollisions } from "../core/configReader";
import type { ModelDeploymentConfig } from "../deployments/deployments.config";

/** Severity at which a harm category blocks: `Low` blocks the most. `off` needs Microsoft's approval. */
export const HarmThresholds = ["Low", "Medium", "High", "off"] as const;
export type HarmThreshold = (typeof HarmThresholds)[number];

/** The four harm categories, by their stack key and Azure's filter name. */
export const HarmCategories = { hate: "Hate", sexual: "Sexual", selfHarm: "Selfharm", violence: "Violence" } as const;
export type HarmCategory = keyof typeof HarmCategories;

/** Filters that are on or off, each checked on the one side Azure's catalogue gives it (no severity). */
export const BinaryFilters = {
    jailbreak: { name: "Jailbreak", source: "Prompt", default: true },
    indirectAttack: { name: "Indirect Attack", source: "Prompt", default: false },
    protectedMaterialText: { name: "Protected Material Text", source: "Completion", default: true },
    protectedMaterialCode: { name: "Protected Material Code", source: "Completion", default: true },
} as const;
export type BinaryFilter = keyof typeof BinaryFilters;

/** Azure's built-in policies, which a deployment may name without declaring them. */
export const BuiltInPolicies = ["Microsoft.Default", "Microsoft.DefaultV2"] as const;
export const PolicyModes = ["Default", "Asynchronous_filter"] as const;

export interface ContentFilterPolicyConfig {
    /** Required (the mapping key). The policy's name in Azure, which deployments refer to. */
    name: string;
    /** Optional. Defaults to `Microsoft.DefaultV2`. The built-in policy this one starts from. */
    basePolicy: (typeof BuiltInPolicies)[number];
    /** Optional. Defaults to `Default` (filter before answering); `Asynchronous_filter` streams first and filters after. */
    mode: (typeof PolicyModes)[number];
    /** Optional. Each defaults to `Medium` on prompt and completion, as Azure's default policy. */
    harm: Record<HarmCategory, { prompt: HarmThreshold; completion: HarmThreshold }>;
    /** Optional. Defaults: jailbreak, protected material text and code on; indirect attack off. */
    filters: Record<BinaryFilter, boolean>;
    /** Optional. Defaults to none. Blocklists of this section, applied to prompt and completion. */
    blocklists: string[];
}

export interface BlocklistConfig {
    /** Required (the mapping key). The blocklist's name in Azure. */
    name: string;
    /** Optional. Defaults to none. */
    description?: string;
    /** Required. At least one term; a `regex: true` item is a regular expression. */
    items: { pattern: string; regex: boolean }[];
}

export interface ContentFiltersConfig {
    policies: ContentFilterPolicyConfig[];
    blocklists: BlocklistConfig[];
}

const Fields = ["policies", "blocklists"] as const;
const PolicyFields = ["basePolicy", "mode", ...Object.keys(HarmCategories), ...Object.keys(BinaryFilters), "blocklists"];
const BlocklistFields = ["description", "items"];
/** Azure's limit per blocklist. Each item is one write on the account, one after another. */
const MaxItems = 10000;
const MaxPattern = 1000;

const Name = {
    pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    allowed: "1-64 letters, digits, '_' or '-', starting with a letter or digit (names with a dot, such as Microsoft.*, are Azure's own)",
};

function readThreshold(r: Reader, path: string, value: Json | undefined): { prompt: HarmThreshold; completion: HarmThreshold } | undefined {
    if (value === undefined) return { prompt: "Medium", completion: "Medium" };
    if (typeof value === "string") {
        const t = r.oneOf(path, value, HarmThresholds);
        return t && { prompt: t, completion: t };
    }
    const sides = r.object(path, value);
    if (!sides) return undefined;
    r.unknownKeys(path, sides, ["prompt", "completion"]);
    const prompt = sides.prompt === undefined ? "Medium" : r.oneOf(`${path}.prompt`, sides.prompt, HarmThresholds);
    const completion = sides.completion === undefined ? "Medium" : r.oneOf(`${path}.completion`, sides.completion, HarmThresholds);
    return prompt && completion ? { prompt, completion } : undefined;
}

function readPolicy(r: Reader, path: string, name: string, value: Json, blocklists: readonly string[]): ContentFilterPolicyConfig | undefined {
    if (!r.string(path, name, Name)) return undefined;
    const p = isEmptyMapping(value) ? {} : r.object(path, value);
    if (!p) return undefined;
    r.unknownKeys(path, p, PolicyFields);
    const basePolicy = p.basePolicy === undefined ? "Microsoft.DefaultV2" : r.oneOf(`${path}.basePolicy`, p.basePolicy, BuiltInPolicies);
    const mode = p.mode === undefined ? "Default" : r.oneOf(`${path}.mode`, p.mode, PolicyModes);
    const harm = Object.fromEntries(Object.keys(HarmCategories).map((c) => [c, readThreshold(r, `${path}.${c}`, p[c])]));
    const filters = Object.fromEntries(
        Object.entries(BinaryFilters).map(([f, spec]) => [f, p[f] === undefined ? spec.default : r.boolean(`${path}.${f}`, p[f])]),
    );
    const used = r.stringList(`${path}.blocklists`, p.blocklists, (b) =>
        blocklists.includes(b) ? undefined : `is not a blocklist of this stack; declare it under contentFilters.blocklists (declared: ${blocklists.join(", ") || "none"})`,
    );
    if (!basePolicy || !mode || Object.values(harm).includes(undefined) || Object.values(filters).includes(undefined)) return undefined;
    return { name, basePolicy, mode, harm: harm as ContentFilterPolicyConfig["harm"], filters: filters as Record<BinaryFilter, boolean>, blocklists: used };
}

/** Azure matches with .NET regular expressions; JavaScript's parser catches the malformed ones both refuse. */
function regexProblem(pattern: string): string | undefined {
    try {
        new RegExp(pattern);
        return undefined;
    } catch (err) {
        return `${show(pattern)} is not a regular expression (${(err as Error).message})`;
    }
}

function readItem(r: Reader, path: string, item: Json): { pattern: string; regex: boolean } | undefined {
    const entry = typeof item === "string" ? { pattern: item } : r.object(path, item);
    if (!entry) return undefined;
    r.unknownKeys(path, entry, ["pattern", "regex"]);
    const pattern = r.string(`${path}.pattern`, entry.pattern);
    const regex = entry.regex === undefined ? false : r.boolean(`${path}.regex`, entry.regex);
    if (pattern === undefined || regex === undefined) return undefined;
    const problem = pattern.length > MaxPattern ? `is ${pattern.length} characters; Azure allows ${MaxPattern}` : regex ? regexProblem(pattern) : undefined;
    if (problem) {
        r.report(`${path}.pattern`, problem);
        return undefined;
    }
    return { pattern, regex };
}

function readBlocklist(r: Reader, path: string, name: string, value: Json): BlocklistConfig | undefined {
    if (!r.string(path, name, Name)) return undefined;
    const b = r.object(path, value);
    if (!b) return undefined;
    r.unknownKeys(path, b, BlocklistFields);
    const description = b.description === undefined ? undefined : r.string(`${path}.description`, b.description);
    const list = b.items === undefined ? (r.report(`${path}.items`, "is required: at least one term to block"), undefined) : r.list(`${path}.items`, b.items);
    if (!list) return undefined;
    if (list.length === 0 || list.length > MaxItems) {
        r.report(`${path}.items`, `has ${list.length} items; give 1 to ${MaxItems}`);
        return undefined;
    }
    const items = list.map((item, i) => readItem(r, `${path}.items[${i}]`, item));
    const seen = new Set<string>();
    items.forEach((item, i) => {
        const key = item && `${item.regex}:${item.pattern.toLowerCase()}`;
        if (key && seen.has(key)) r.report(`${path}.items[${i}]`, `${show(item!.pattern)} is listed twice`);
        if (key) seen.add(key);
    });
    if (items.includes(undefined) || (b.description !== undefined && !description)) return undefined;
    return { name, ...(description ? { description } : {}), items: items as BlocklistConfig["items"] };
}

function readNamed<T>(r: Reader, path: string, value: Json | undefined, read: (path: string, name: string, value: Json) => T | undefined): T[] | undefined {
    if (value === undefined) return [];
    const map = r.object(path, value);
    if (!map) return undefined;
    reportCaseCollisions(r, path, Object.keys(map));
    const entries = Object.entries(map).map(([name, v]) => read(`${path}.${name}`, name, v));
    return entries.includes(undefined) ? undefined : (entries as T[]);
}

export const contentFiltersSection: ConfigSection<{ contentFilters: ContentFiltersConfig }, { deployments?: ModelDeploymentConfig[] }> = {
    keys: { contentFilters: { fields: Fields } },
    read(r, get, { deployments }) {
        const value = get("contentFilters");
        const c = value === undefined || isEmptyMapping(value) ? {} : r.object("contentFilters", value);
        if (!c) return undefined;
        r.unknownKeys("contentFilters", c, Fields);
        const blocklists = readNamed(r, "contentFilters.blocklists", c.blocklists, (path, name, v) => readBlocklist(r, path, name, v));
        // Policies are checked against the declared names even when a blocklist itself is invalid.
        const names = isObject(c.blocklists) ? Object.keys(c.blocklists) : [];
        const policies = readNamed(r, "contentFilters.policies", c.policies, (path, name, v) => readPolicy(r, path, name, v, names));
        // Every policy a deployment names must exist: Azure answers an unknown one with InvalidContentFilterPolicy.
        const declared: string[] = [...BuiltInPolicies, ...(isObject(c.policies) ? Object.keys(c.policies) : [])];
        for (const [i, d] of (deployments ?? []).entries()) {
            if (d.raiPolicyName !== undefined && !declared.includes(d.raiPolicyName)) {
                r.report(`deployments[${i}].raiPolicyName`, `${show(d.raiPolicyName)} is not a content filter policy of this stack; declare it under contentFilters.policies, or use ${BuiltInPolicies.join(" or ")}`);
            }
        }
        return blocklists && policies ? { contentFilters: { policies, blocklists } } : undefined;
    },
};
