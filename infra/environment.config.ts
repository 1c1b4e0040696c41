/**
 * The environment section: where the stack lives and what its resources are called and tagged.
 * Keys `location`, `environment`, `namePrefix`, `tags`.
 */
import { ConfigSection, Json, Reader, show, reportCaseCollisions } from "./core/configReader";
import { checkAzureRegion } from "./core/validators";

export interface EnvironmentConfig {
    /** Required. Azure region of every resource, e.g. `eastus`. */
    location: string;
    /** Optional. Defaults to the stack name. Part of every name and the `environment` tag; `prod` turns protection on. */
    environment: string;
    /** Required. Workload prefix in every resource name, e.g. `contoso`. */
    namePrefix: string;
    /** Optional. Defaults to none. Tags on every taggable resource, besides `environment`. */
    tags: Record<string, string>;
}

const Rules = {
    location: { pattern: /^[a-z][a-z0-9]*$/, allowed: "an Azure region name in lowercase without spaces, e.g. eastus or swedencentral" },
    environment: { pattern: /^[a-z][a-z0-9]{0,9}$/, allowed: "1-10 lowercase letters or digits starting with a letter, e.g. dev or prod; it defaults to the stack name" },
    namePrefix: {
        pattern: /^(?!.*--)[a-z][a-z0-9-]{0,10}[a-z0-9]$/,
        allowed: "2-12 lowercase letters, digits or single hyphens, starting with a letter, e.g. contoso",
    },
} as const;

/** Azure allows 50 tags per resource; this project adds `environment`. */
const MaxTags = 49;

function readTags(r: Reader, value: Json | undefined): Record<string, string> {
    if (value === undefined) return {};
    const tags = r.object("tags", value);
    if (!tags) return {};
    const keys = Object.keys(tags);
    if (keys.length > MaxTags) {
        r.report("tags", `has ${keys.length} tags; Azure allows 50 per resource and this project adds 'environment'`);
    }
    reportCaseCollisions(r, "tags", keys);
    const result: Record<string, string> = {};
    for (const key of keys.sort()) {
        const path = `tags.${key}`;
        if (key.toLowerCase() === "environment") {
            r.report(path, `is set from ${r.qualify("environment")}; remove it from tags`);
            continue;
        }
        if (key.length > 512 || /[<>%&\\?/]/.test(key)) {
            r.report(path, "is not a valid tag name; tag names are at most 512 characters and may not contain < > % & \\ ? /");
            continue;
        }
        const tagValue = tags[key];
        if (typeof tagValue !== "string" || tagValue.length > 256) {
            r.report(path, `${show(tagValue)} is not allowed; tag values are strings of at most 256 characters (quote numbers)`);
            continue;
        }
        result[key] = tagValue;
    }
    return result;
}

function readLocation(r: Reader, value: Json | undefined): string | undefined {
    const location = r.string("location", value, Rules.location);
    const problem = location && checkAzureRegion(location);
    if (problem) r.report("location", `${show(location)} ${problem}`);
    return problem ? undefined : location;
}

export const environmentSection: ConfigSection<EnvironmentConfig, { stack: string }> = {
    keys: {
        location: { type: "string", required: true },
        environment: { type: "string" },
        namePrefix: { type: "string", required: true },
        tags: {},
    },
    read(r, get, { stack }) {
        const location = get("location") === undefined ? (r.report("location", "is required; e.g. eastus or swedencentral"), undefined) : readLocation(r, get("location"));
        // Empty means "not set": Pulumi.yaml must declare a default for every optional key.
        const environment = r.string("environment", get("environment") || stack, Rules.environment);
        const namePrefix = get("namePrefix") === undefined ? (r.report("namePrefix", "is required; e.g. contoso (used in every resource name)"), undefined) : r.string("namePrefix", get("namePrefix"), Rules.namePrefix);
        const tags = readTags(r, get("tags"));
        return location && environment && namePrefix ? { location, environment, namePrefix, tags } : undefined;
    },
};
