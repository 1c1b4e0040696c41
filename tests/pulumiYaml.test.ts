/**
 * The offline plan reads a stack file's settings as the Pulumi CLI hands them to the program, so the
 * reviewed plan is what `pulumi up` makes. Pulumi's reader (go-yaml v3; pulumi/pulumi
 * sdk/go/common/resource/config/value.go) keeps a plain scalar's literal text and gives a null as "".
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConfigError } from "../infra/config";
import { renderConfig } from "../tools/plan/offlinePlan";
import * as path from "path";
import { CommandError } from "../tools/cli";
import { renderStacks } from "../tools/plan/planOutput";
import { loadStack, parseStackFile, readStackFile } from "../tools/plan/stackFile";
import { readFileSync, writeFileSync } from "fs";
import { minimalConfig, writeStackFile } from "./helpers";

/** A stack file with these lines under `config:` beside a minimal valid stack, read as the plan reads it. */
function read(lines: string[], stack = "qa") {
    const file = writeStackFile(minimalConfig(), stack);
    writeFileSync(file, `${readFileSync(file, "utf8")}${lines.map((l) => `  ${l}\n`).join("")}`);
    return { file, stackFile: readStackFile(file) };
}

describe("stack file scalars as Pulumi passes them", () => {
    it("keeps a plain scalar's literal text, and gives a null as empty text", () => {
        const { stackFile } = read(["x:a: 007", "x:b: 0x1f00", "x:c: True", "x:d: 1.50", "x:e: 1e3", "x:f:", "x:g: ~", "x:h: null", 'x:i: "007"', "x:j: 'True'", "x:k: yes"]);
        const c = stackFile.config;
        assert.deepEqual(
            ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"].map((k) => c[`x:${k}`]),
            ["007", "0x1f00", "True", "1.50", "1e3", "", "", "", "007", "True", "yes"],
        );
    });

    it("an empty aoai:environment means 'not set', as under pulumi up: the stack name, never 'null'", async () => {
        const { stackFile } = read(["aoai:environment:"]);
        const config = parseStackFile("qa", stackFile);
        assert.equal(config.environment, "qa");
        const plan = await renderConfig(config);
        assert.ok(plan.resources.some((r) => r.inputs.resourceGroupName === "rg-demo-qa"));
        assert.ok(!JSON.stringify(plan).includes("-null"));
    });

    it("a null aoai:customSubdomain derives the subdomain, never https://null.openai.azure.com/", async () => {
        const { stackFile } = read(["aoai:customSubdomain: ~"]);
        const plan = await renderConfig(parseStackFile("qa", stackFile));
        assert.match(String(plan.outputs.endpoint), /^https:\/\/demo-qa-[0-9a-f]{8}\.openai\.azure\.com\/$/);
    });

    it("refuses a boolean written True, as the program does when Pulumi passes it", () => {
        const { stackFile } = read(["aoai:disableLocalAuth: True"]);
        assert.throws(() => parseStackFile("qa", stackFile), (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.startsWith('aoai:disableLocalAuth: "True" is not allowed; use true or false')));
    });
});

describe("a subscription the stack file pins (azure-native:subscriptionId)", () => {
    it("is what the plan renders for: every id carries it", async () => {
        const pinned = "11111111-2222-3333-4444-555555555555";
        const { file } = read([`azure-native:subscriptionId: ${pinned}`]);
        const loaded = loadStack("qa", undefined, file);
        assert.equal(loaded.subscriptionId, pinned);
        const [rendered] = await renderStacks({ stacks: [loaded], all: false, cwd: path.dirname(file), today: new Date("2026-12-05T00:00:00Z") });
        assert.match(String(rendered.plan.outputs.accountId ?? JSON.stringify(rendered.plan)), new RegExp(`/subscriptions/${pinned}/`));
        assert.ok(!JSON.stringify(rendered.plan).includes("00000000-0000-0000-0000-000000000000"), "no stand-in subscription left");
    });

    for (const [value, why] of [["not-a-guid", "is not a GUID"], ["00000000-0000-0000-0000-000000000000", "is the all-zero placeholder, not a subscription"]] as const) {
        it(`refuses ${value}, naming the key`, () => {
            const { file } = read([`azure-native:subscriptionId: ${value}`]);
            assert.throws(() => loadStack("qa", undefined, file), (err: unknown) => err instanceof CommandError && err.message.includes(`azure-native:subscriptionId "${value}" ${why}; give the subscription's id (az account show --query id -o tsv)`));
        });
    }
});
