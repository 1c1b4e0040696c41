/**
 * Pulumi.yaml declares every key the program accepts, and nothing else: `pulumi config` then checks
 * types before the program runs and documents each key. Because Pulumi requires a default for every
 * optional declared key and hands it to the program as if the stack had set it, each declared default
 * must mean exactly "not set".
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConfigKeys, parseStackConfig } from "../infra/config";
import { readProjectFile } from "../tools/repo";

const declared = readProjectFile().config;
const minimal = {
    location: "eastus",
    namePrefix: "demo",
    deployments: JSON.stringify([{ name: "chat", model: "gpt-4o-mini", version: "2099-07-18", sku: "GlobalStandard", capacity: 5 }]),
};

describe("Pulumi.yaml config", () => {
    it("declares exactly the keys the program accepts", () => {
        assert.deepEqual(Object.keys(declared).sort(), Object.keys(ConfigKeys).sort());
    });

    it("describes every key and types every key Pulumi can type", () => {
        for (const [key, spec] of Object.entries(ConfigKeys)) {
            assert.ok((declared[key]?.description ?? "").length > 20, `${key} needs a description`);
            assert.equal(declared[key]?.type, spec.type, `${key}: declared type`);
        }
    });

    it("gives a default to every optional key and none to a required one", () => {
        for (const [key, spec] of Object.entries(ConfigKeys)) {
            assert.equal(declared[key]?.default === undefined, spec.required === true, `${key}: ${spec.required ? "required, so no default" : "optional, so a default"}`);
        }
    });

    for (const [key, spec] of Object.entries(declared)) {
        if (spec.default === undefined) continue;
        it(`${key}: the declared default means "not set"`, () => {
            const value = typeof spec.default === "string" ? spec.default : JSON.stringify(spec.default);
            for (const stack of ["dev", "prod"]) {
                assert.deepEqual(parseStackConfig({ ...minimal, [key]: value }, stack), parseStackConfig(minimal, stack), `stack ${stack}`);
            }
        });
    }
});
