/**
 * The README and docs/ say what the code does: the configuration reference (docs/configuration.md)
 * holds every key the program accepts (and no other) with the defaults Pulumi.yaml declares; every
 * command they show names an npm script that exists and only options that command accepts; the README
 * fits on arrival (at most 250 lines) and every page it points to exists.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "child_process";
import { existsSync, readFileSync, readdirSync } from "fs";
import * as path from "path";
import { ConfigKeys } from "../infra/config";
import { RepoRoot, readProjectFile } from "../tools/repo";

const readme = readFileSync(path.join(RepoRoot, "README.md"), "utf8");
const docs = readdirSync(path.join(RepoRoot, "docs")).filter((f) => f.endsWith(".md")).map((f) => readFileSync(path.join(RepoRoot, "docs", f), "utf8"));
const reference = readFileSync(path.join(RepoRoot, "docs", "configuration.md"), "utf8");
const section = reference.slice(0, reference.indexOf("**What the lock blocks.**"));
const rows = section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => line.split(" | ").map((cell) => cell.replace(/^\| /, "")));

/** `a.b` + `c` in the first cell means a.b and a.c; `deployments[].name` means deployments.name. */
function documentedPaths(cell: string): string[] {
    const names = [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1].replace("[]", ""));
    const parent = names[0].includes(".") ? names[0].slice(0, names[0].lastIndexOf(".") + 1) : "";
    return names.map((name, i) => (i === 0 || name.includes(".") ? name : parent + name));
}

describe("README on arrival", () => {
    it("fits in 250 lines", () => assert.ok(readme.split("\n").length <= 250, `${readme.split("\n").length} lines`));

    it("points only at pages and files that exist", () => {
        const targets = [...readme.matchAll(/\]\(([^)#]+)\)/g)].map((m) => m[1]).filter((t) => !/^https?:/.test(t));
        assert.ok(targets.length >= 8, `${targets.length} links`);
        assert.deepEqual(targets.filter((t) => !existsSync(path.join(RepoRoot, t))), []);
    });
});

describe("configuration reference (docs/configuration.md)", () => {
    const documented = new Map(rows.flatMap((row) => documentedPaths(row[0]).map((p) => [p, row] as const)));
    const accepted = Object.entries(ConfigKeys).flatMap(([key, spec]) => [key, ...(spec.fields ?? []).map((f) => `${key}.${f}`)]);

    it("documents every key and field the program accepts", () => {
        const missing = accepted.filter((p) => !documented.has(p) && !(ConfigKeys[p]?.fields && ConfigKeys[p].fields!.some((f) => documented.has(`${p}.${f}`))));
        assert.deepEqual(missing, []);
    });

    it("documents no key the program would refuse", () => {
        assert.deepEqual([...documented.keys()].filter((p) => !accepted.includes(p)), []);
    });

    it("gives the default Pulumi.yaml declares for every typed key", () => {
        for (const [key, declared] of Object.entries(readProjectFile().config)) {
            if (declared.type === undefined || declared.default === undefined || declared.default === "") continue;
            const row = documented.get(key);
            assert.ok(row, key);
            const shown = Array.isArray(declared.default) ? JSON.stringify(declared.default) : String(declared.default);
            assert.ok(row[2].includes(`\`${shown}\``), `${key}: README default "${row[2]}" vs Pulumi.yaml ${shown}`);
            if (declared.type === "boolean") assert.match(row[1], /^bool/, `${key} is a boolean`);
        }
    });
});

describe("keys named in the README and docs/", () => {
    it("are keys and fields the program accepts", () => {
        const text = [readme, ...docs].join("\n");
        const named = [...text.matchAll(/\baoai:([a-zA-Z]+)(?:\.([a-zA-Z]+))?(?![a-zA-Z]|:[a-zA-Z])/g)].map((m) => ({ key: m[1], field: m[2] }));
        assert.ok(named.length >= 5, `${named.length} keys named`);
        const unknown = named.filter(({ key, field }) => !(key in ConfigKeys) || (field !== undefined && !(ConfigKeys[key].fields ?? []).includes(field)));
        assert.deepEqual(unknown.map(({ key, field }) => (field ? `${key}.${field}` : key)), []);
    });
});

describe("commands in the README and docs/", () => {
    const text = [readme, ...docs].join("\n");
    const snippets = [...text.matchAll(/```bash\n([\s\S]*?)```/g)].flatMap((m) => m[1].split("\n")).concat([...text.matchAll(/`((?:npm run|dotnet run)[^`]*)`/g)].map((m) => m[1]));
    const commands = snippets.map((line) => line.replace(/#.*$/, "").trim()).filter((line) => /(^|\| )(npm run|dotnet run --project (probe|preflight))/.test(line));
    const scripts = JSON.parse(readFileSync(path.join(RepoRoot, "package.json"), "utf8")).scripts as Record<string, string>;
    const helpOf = new Map<string, string>();
    const help = (script: string) => {
        if (!helpOf.has(script)) {
            const file = /tools\/([\w/]+\.ts)/.exec(scripts[script])?.[1];
            helpOf.set(script, file ? execFileSync(process.execPath, ["--import", "tsx", path.join(RepoRoot, "tools", file), "--help"], { cwd: RepoRoot, encoding: "utf8" }) : "");
        }
        return helpOf.get(script)!;
    };
    const sources: Record<string, string> = {
        probe: readFileSync(path.join(RepoRoot, "probe", "ProbeCommand.cs"), "utf8"),
        preflight: readFileSync(path.join(RepoRoot, "preflight", "PreflightCommand.cs"), "utf8"),
    };

    it("are found", () => assert.ok(commands.length >= 12, `${commands.length} commands`));

    it("name npm scripts that exist and options their command accepts", () => {
        for (const command of commands) {
            const npm = /npm run (?:-s )?([\w-]+)(.*)$/.exec(command);
            if (npm) {
                assert.ok(npm[1] in scripts, `${command}: no npm script ${npm[1]}`);
                for (const [option] of npm[2].matchAll(/--[a-z][\w-]*/g)) {
                    if (option === "--help") continue;
                    assert.ok(help(npm[1]).includes(option), `${command}: ${npm[1]} --help does not list ${option}`);
                }
            } else {
                const [, project, rest] = /dotnet run --project (probe|preflight) --(.*)$/.exec(command) ?? [];
                for (const [option] of (rest ?? "").matchAll(/--[a-z][\w-]*/g)) {
                    assert.ok(sources[project].includes(`"${option}"`), `${command}: ${project} has no option ${option}`);
                }
            }
        }
    });
});
