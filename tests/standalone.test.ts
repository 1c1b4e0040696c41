/**
 * The repository stands alone: no file points at a document outside it, and every `docs/*.md` a file
 * mentions exists.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "child_process";
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { RepoRoot } from "../tools/repo";

const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: RepoRoot, encoding: "utf8" })
    .split("\n")
    .filter((f) => /\.(ts|cs|md|ya?ml|json|csproj|bicep|sh)$|^\.ci\/run$/.test(f) && existsSync(path.join(RepoRoot, f)) && !f.includes("package-lock"));

describe("the repository stands alone", () => {
    it("names no document outside it", () => {
        const outside = files.filter((f) => /\.\.\/shared|shared\/reference|\bDESIGN\.md\b|(?<!docs\/)\bdata-plane\.md\b/.test(readFileSync(path.join(RepoRoot, f), "utf8")));
        assert.deepEqual(outside, []);
    });

    it("has every docs/ page that a file mentions", () => {
        const missing = files.flatMap((f) =>
            [...readFileSync(path.join(RepoRoot, f), "utf8").matchAll(/\bdocs\/([\w-]+\.md)\b/g)].map((m) => m[1]).filter((doc) => !existsSync(path.join(RepoRoot, "docs", doc))).map((doc) => `${f}: docs/${doc}`),
        );
        assert.deepEqual(missing, []);
    });
});
