/**
 * The folders are the architecture (docs/design.md, "Layout"): each folder of infra/ and tools/ has a
 * rank, and an import runs only within a folder or down to a lower rank, never up or sideways. A new
 * folder must be given its place here before it holds code. Folders stay small enough to read at a
 * glance, and files short enough to hold one concern.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "fs";
import * as path from "path";
import { RepoRoot } from "../tools/repo";

/** Lowest first. Folders of one rank are siblings: neither imports the other. */
const Ranks: Record<string, number> = {
    "infra/core": 0,
    "infra/access": 1,
    "infra/deployments": 2,
    "infra/foundry": 3,
    "infra/network": 4,
    "infra/protection": 4,
    "infra/operations": 4,
    "infra/account": 5,
    "infra/gateway": 5,
    infra: 6,
    // The hub is a program of its own beside the environments': it reuses their sections and parts.
    "infra/hub": 7,
    policy: 8,
    tools: 9,
    "tools/plan": 10,
    "tools/review": 11,
    "tools/diff": 11,
    "tools/bench": 11,
    // Stacks as the workflows find them, and new ones: they render and snapshot through plan/ and review/.
    "tools/stacks": 12,
};

/** A data/ folder belongs to the folder that holds it. */
const folderOf = (file: string) => path.dirname(file).replace(/\/data$/, "");

/** The imports that run against the ranks, as "from -> to". */
function againstTheLayout(imports: [string, string][]): string[] {
    return imports
        .filter(([from, to]) => {
            const [a, b] = [folderOf(from), folderOf(to)];
            return a !== b && !(Ranks[b] < Ranks[a]);
        })
        .map(([from, to]) => `${from} -> ${to}`);
}

const sources = ["infra", "tools", "policy"].flatMap((dir) =>
    readdirSync(path.join(RepoRoot, dir), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".ts") && !f.includes("node_modules"))
        .map((f) => path.join(dir, f)),
);

function importsOf(file: string): [string, string][] {
    const text = readFileSync(path.join(RepoRoot, file), "utf8");
    return [...text.matchAll(/(?:from|import|require)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map((m) => [file, path.normalize(path.join(path.dirname(file), m[1]))]);
}

describe("layout", () => {
    it("places every source folder", () => {
        assert.deepEqual([...new Set(sources.map(folderOf))].filter((f) => Ranks[f] === undefined), []);
    });

    it("runs every import within a folder or down to a lower rank", () => {
        const imports = sources.flatMap(importsOf);
        assert.ok(imports.length > 150, `${imports.length} imports read`);
        assert.deepEqual(againstTheLayout(imports), []);
    });

    it("refuses an import that runs up or sideways", () => {
        assert.deepEqual(
            againstTheLayout([
                ["infra/core/naming.ts", "infra/account/account.config"],
                ["infra/network/privateNetwork.ts", "infra/protection/residency"],
                ["infra/account/account.ts", "infra/protection/contentFilters"],
                ["infra/deployments/modelLifecycle.ts", "infra/deployments/data/modelLifecycle.json"],
            ]),
            ["infra/core/naming.ts -> infra/account/account.config", "infra/network/privateNetwork.ts -> infra/protection/residency"],
        );
    });

    it("keeps folders to about 12 files and source files to 250 lines", () => {
        const perFolder = new Map<string, number>();
        for (const dir of ["infra", "tools"]) {
            for (const f of readdirSync(path.join(RepoRoot, dir), { recursive: true, encoding: "utf8" })) {
                const full = path.join(dir, f);
                if (/(^|\/)(bin|obj|node_modules)(\/|$)/.test(full)) continue;
                if (readdirSync(path.join(RepoRoot, path.dirname(full)), { withFileTypes: true }).find((e) => e.name === path.basename(full))?.isFile()) {
                    perFolder.set(path.dirname(full), (perFolder.get(path.dirname(full)) ?? 0) + 1);
                }
            }
        }
        assert.deepEqual([...perFolder].filter(([, n]) => n > 12), []);
        const long = sources.filter((f) => readFileSync(path.join(RepoRoot, f), "utf8").split("\n").length > 251);
        assert.deepEqual(long, []);
    });
});
