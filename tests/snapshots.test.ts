/**
 * Every stack's rendered plan must equal its committed snapshot. On a difference the failure shows
 * the diff; if the change is intended, `npm run snapshots` rewrites the files for the pull request.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "fs";
import { hubStackNames, stackNames } from "../tools/repo";
import { renderSnapshot, snapshotFiles } from "../tools/review/snapshots";

function same(actual: string, file: string, stack: string): void {
    assert.ok(existsSync(file), `${file} is missing: run npm run snapshots and commit it`);
    try {
        assert.equal(actual, readFileSync(file, "utf8"));
    } catch (err) {
        throw new Error(`The ${stack} plan no longer matches ${file}.\nIf the change is intended, run \`npm run snapshots\` and commit the result.\n${(err as Error).message}`);
    }
}

describe("plan snapshots", () => {
    it("exist for dev, prod and the hub at least", () => {
        assert.ok(stackNames().includes("dev") && stackNames().includes("prod") && hubStackNames().includes("hub"));
    });
    for (const stack of [...stackNames(), ...hubStackNames()]) {
        it(`${stack}: the JSON and readable plans match tests/snapshots/${stack}.plan.json and .plan.txt`, async () => {
            const rendered = await renderSnapshot(stack);
            same(rendered.json, snapshotFiles(stack).json, stack);
            same(rendered.text, snapshotFiles(stack).text, stack);
        });
    }
});
