/**
 * Conventions a newcomer relies on when reading a component: every field of an exported `*Args`
 * interface says whether it is Required or Optional (and, if optional, its default), like the Azure
 * Verified Modules' parameter descriptions.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "fs";
import * as path from "path";
import * as ts from "typescript";
import { RepoRoot } from "../tools/repo";

const infra = path.join(RepoRoot, "infra");

describe("component arguments", () => {
    const fields: { file: string; iface: string; field: string; doc: string }[] = [];
    for (const file of readdirSync(infra, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"))) {
        const source = ts.createSourceFile(file, readFileSync(path.join(infra, file), "utf8"), ts.ScriptTarget.Latest, true);
        source.forEachChild((node) => {
            if (ts.isInterfaceDeclaration(node) && node.name.text.endsWith("Args") && node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
                for (const member of node.members) {
                    const doc = ts.getJSDocCommentsAndTags(member).map((d) => d.getText()).join(" ");
                    fields.push({ file, iface: node.name.text, field: member.name?.getText() ?? "?", doc });
                }
            }
        });
    }

    it("exist in the component files", () => {
        assert.deepEqual(
            [...new Set(fields.map((f) => f.iface))].sort(),
            ["AccountAccessArgs", "AccountAlertsArgs", "AccountDiagnosticsArgs", "AccountEncryptionArgs", "ContentFiltersArgs", "EnvironmentBudgetArgs", "GatewayArgs", "GatewayUsageArgs", "HubPeeringArgs", "ModelDeploymentsArgs", "OpenAiAccountArgs", "PrivateNetworkArgs", "RegionArgs", "RegisteredEndpointArgs", "ToolsNetworkArgs"],
        );
    });

    it("document every field as Required, or Optional with its default", () => {
        const undocumented = fields
            .filter((f) => !/\/\*\*\s*(Required\.|Optional\. .*Defaults? to|Conditional\.)/s.test(f.doc))
            .map((f) => `${f.file}: ${f.iface}.${f.field}`);
        assert.deepEqual(undocumented, []);
    });
});

describe("test files", () => {
    it("keep their hooks inside a describe: one process runs every file, so a root hook would run for all", () => {
        const tests = path.join(RepoRoot, "tests");
        const rooted = readdirSync(tests)
            .filter((f) => f.endsWith(".test.ts"))
            .filter((f) => /^(before|after|beforeEach|afterEach)\(/m.test(readFileSync(path.join(tests, f), "utf8")));
        assert.deepEqual(rooted, []);
    });
});
