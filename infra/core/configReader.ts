/**
 * A generic reader for untyped configuration: it collects problems and reads typed values out of
 * JSON one key path at a time. It knows nothing about this project; each configuration section
 * (`*.config.ts`) brings its own keys, rules and defaults.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The value types `Pulumi.yaml` can declare for a project key (`pulumi config` validates them). */
export type DeclaredType = "string" | "integer" | "boolean" | "array";

/** What a section says about one of its top-level keys. */
export interface KeySpec {
    /** The type `Pulumi.yaml` declares; none for structured values, which Pulumi cannot type. */
    type?: DeclaredType;
    /** True when a stack must set the key (Pulumi.yaml then declares no default). */
    required?: boolean;
    /** The keys inside a mapping value, or inside each item of a list value; anything else is refused. */
    fields?: readonly string[];
    /**
     * A credential, to be stored encrypted (`pulumi config set --secret`); the offline plan refuses it in
     * clear text. It cannot decrypt it either, so it validates this well-formed stand-in instead, and the
     * program hands the value on as a secret, which the plan prints as "[secret]".
     */
    secret?: { offlineStandIn: string };
}

/** Reads one section's values; `get` returns a key's decoded value, or undefined when unset. */
export interface ConfigSection<T, Needs = object> {
    readonly keys: Readonly<Record<string, KeySpec>>;
    read(r: Reader, get: (key: string) => Json | undefined, needs: Needs): T | undefined;
}

/** Every problem found in a configuration, in key order. */
export class ConfigError extends Error {
    constructor(public readonly problems: string[]) {
        super(`Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ConfigError";
    }
}

/** A value as it appears in a message, cut short when long. */
export function show(value: unknown): string {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 240 ? `${text.slice(0, 237)}...` : text;
}

export function isObject(value: unknown): value is Record<string, Json> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `{}`: a section left at its defaults. Pulumi.yaml declares `{}` as every optional section's default,
 * so it must mean exactly what leaving the key out means.
 */
export function isEmptyMapping(value: Json | undefined): boolean {
    return isObject(value) && Object.keys(value).length === 0;
}

/** A pattern a string must match, and the sentence that says what is allowed. */
export interface Rule {
    pattern: RegExp;
    allowed: string;
}

/** The longest single text setting (ids, URLs, patterns are far shorter). */
export const MaxSettingLength = 4096;

export class Reader {
    readonly problems: string[] = [];

    /** @param prefix what every reported path starts with, e.g. `aoai:` */
    constructor(private readonly prefix: string) {}

    /** The key as a user writes it in a stack file, e.g. `aoai:environment`. */
    qualify(path: string): string {
        return `${this.prefix}${path}`;
    }

    report(path: string, message: string): void {
        this.problems.push(`${this.qualify(path)}: ${message}`);
    }

    unknownKeys(path: string, value: Record<string, unknown>, known: readonly string[]): void {
        for (const key of Object.keys(value)) {
            if (!known.includes(key)) {
                // A near miss names the key meant; a list of two dozen keys would bury it.
                const near = known.find((k) => isNearMiss(key, k));
                this.report(path ? `${path}.${key}` : key, near ? `unknown key; did you mean ${near}?` : `unknown key; known keys here are ${known.join(", ")}`);
            }
        }
    }

    string(path: string, value: unknown, rule?: Rule): string | undefined {
        if (typeof value !== "string" || value.length === 0) {
            this.report(path, `${show(value)} is not allowed; expected a non-empty string${rule ? ` (${rule.allowed})` : ""}`);
            return undefined;
        }
        // Before any pattern: no setting is this long, and a pattern's cost grows with the text.
        if (value.length > MaxSettingLength) {
            this.report(path, `is ${value.length} characters long; a setting here has at most ${MaxSettingLength}`);
            return undefined;
        }
        if (rule && !rule.pattern.test(value)) {
            this.report(path, `${show(value)} is not allowed; expected ${rule.allowed}`);
            return undefined;
        }
        return value;
    }

    /** A string that must pass `check`, which returns a problem sentence or undefined. */
    checked(path: string, value: unknown, check: (text: string) => string | undefined): string | undefined {
        const text = this.string(path, value);
        const problem = text === undefined ? undefined : check(text);
        if (problem) {
            this.report(path, `${show(text)} ${problem}`);
            return undefined;
        }
        return text;
    }

    oneOf<T extends string>(path: string, value: unknown, allowed: readonly T[]): T | undefined {
        if (typeof value === "string" && (allowed as readonly string[]).includes(value)) {
            return value as T;
        }
        this.report(path, `${show(value)} is not allowed; use one of ${allowed.join(", ")}`);
        return undefined;
    }

    boolean(path: string, value: unknown): boolean | undefined {
        // Pulumi hands top-level scalars over as strings, nested ones as JSON values.
        if (value === true || value === "true") return true;
        if (value === false || value === "false") return false;
        this.report(path, `${show(value)} is not allowed; use true or false`);
        return undefined;
    }

    integer(path: string, value: unknown, min: number, max: number, unit: string): number | undefined {
        const number = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
        if (typeof number !== "number" || !Number.isInteger(number) || number < min || number > max) {
            this.report(path, `${show(value)} is not allowed; expected a whole number from ${min} to ${max} (${unit})`);
            return undefined;
        }
        return number;
    }

    object(path: string, value: unknown): Record<string, Json> | undefined {
        if (!isObject(value)) {
            this.report(path, `${show(value)} is not allowed; expected a mapping of keys to values`);
            return undefined;
        }
        return value;
    }

    list(path: string, value: unknown): Json[] | undefined {
        if (!Array.isArray(value)) {
            this.report(path, `${show(value)} is not allowed; expected a list`);
            return undefined;
        }
        return value;
    }

    /** A list of distinct strings, each passing `check` (a problem sentence, or undefined). */
    stringList(path: string, value: Json | undefined, check: (item: string) => string | undefined): string[] {
        if (value === undefined) return [];
        const list = this.list(path, value);
        if (!list) return [];
        const result: string[] = [];
        list.forEach((item, index) => {
            const itemPath = `${path}[${index}]`;
            if (typeof item !== "string") {
                this.report(itemPath, `${show(item)} is not allowed; expected a string`);
                return;
            }
            const problem = item.length > MaxSettingLength ? `is ${item.length} characters long; an entry here has at most ${MaxSettingLength}` : check(item);
            if (problem) {
                this.report(itemPath, `${show(item)} ${problem}`);
            } else if (result.includes(item)) {
                this.report(itemPath, `${show(item)} is listed twice`);
            } else {
                result.push(item);
            }
        });
        return result;
    }
}

/**
 * Decodes each known key once: Pulumi passes structured values as JSON text and scalars as strings.
 * Unknown keys are reported; the result answers `get(key)` for the sections.
 */
export function decodeKeys(r: Reader, raw: Record<string, string>, known: readonly string[]): (key: string) => Json | undefined {
    r.unknownKeys("", raw, known);
    const decoded = new Map<string, Json>();
    for (const key of known) {
        const text = raw[key];
        if (text === undefined) continue;
        if (!/^\s*[[{]/.test(text)) {
            decoded.set(key, text);
            continue;
        }
        try {
            decoded.set(key, JSON.parse(text) as Json);
        } catch {
            r.report(key, `could not be read as structured YAML/JSON: ${show(text)}`);
        }
    }
    return (key) => decoded.get(key);
}

/**
 * Names Azure treats as one because they differ only in case (ARM names are case-insensitive): each
 * later one is reported, naming the earlier.
 */
export function reportCaseCollisions(r: Reader, path: string, names: readonly string[]): void {
    const seen = new Map<string, string>();
    for (const name of names) {
        const earlier = seen.get(name.toLowerCase());
        if (earlier !== undefined) r.report(`${path}.${name}`, `differs from ${earlier} only in case; Azure treats them as one name, so rename one`);
        else seen.set(name.toLowerCase(), name);
    }
}

/** Same letters but for case and separators, or one edit or swap of neighbours apart. */
export function isNearMiss(word: string, target: string): boolean {
    const fold = (s: string) => s.toLowerCase().replace(/[-_. ]/g, "");
    const [a, b] = [fold(word), fold(target)];
    if (a === b) return true;
    if (Math.abs(a.length - b.length) > 1) return false;
    // Damerau-Levenshtein distance (optimal string alignment), bounded at 1.
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length] <= 1;
}
