/**
 * The Microsoft cloud security benchmark ledger: the built-in controls a review of prod found, read from
 * the plan as Azure would read the resources. Prod holds or deliberately exempts every one, the pack
 * refuses an open one in prod, and the docs name each with its reason.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "fs";
import * as path from "path";
import { Controls, benchmarkLedger } from "../policy/benchmark";
import { RepoRoot } from "../tools/repo";
import { committedPlan, committedText } from "./helpers";

const declared = (stack: string) => committedPlan(stack).resources.map((r) => ({ type: r.type, props: r.inputs }));

describe("the security benchmark ledger", () => {
    it("prod holds or exempts every control, none open", () => {
        const ledger = benchmarkLedger(declared("prod"));
        assert.deepEqual(ledger.filter((c) => c.state === "open"), []);
        assert.deepEqual(ledger.filter((c) => c.state === "held").map((c) => c.control), [
            "Key Vault: resource logs enabled",
            "Log Analytics: Entra ID only (local auth off)",
            "Application Insights: Entra ID only (local auth off)",
            "API Management: resource logs enabled",
            "API Management: public network access disabled",
            "API Management: backends with credentials",
            "Subnets: no default outbound access",
        ]);
        assert.ok(ledger.filter((c) => c.state === "exempt").every((c) => c.why.length > 40), "every exemption says why");
    });

    it("names what is missing, per resource, when a control is not held", () => {
        const vault = { type: "azure-native:keyvault:Vault", props: { vaultName: "kv-a" } };
        const gateway = { type: "azure-native:apimanagement:ApiManagementService", props: { serviceName: "apim-a", publicNetworkAccess: "Enabled" } };
        const ledger = benchmarkLedger([vault, gateway]);
        assert.deepEqual(ledger.find((c) => c.control === "Key Vault: resource logs enabled"), { control: "Key Vault: resource logs enabled", state: "open", why: "kv-a: no diagnostic setting sends its logs" });
        assert.equal(ledger.find((c) => c.control === "API Management: public network access disabled")?.why, "apim-a: publicNetworkAccess is Enabled");
        assert.equal(ledger.find((c) => c.control === "Log Analytics: Entra ID only (local auth off)")?.state, "not applicable");
    });

    it("holds a vault's logs only with a setting that sends logs for that vault", () => {
        const vault = { type: "azure-native:keyvault:Vault", props: { vaultName: "kv-a" } };
        const other = { type: "azure-native:monitor:DiagnosticSetting", props: { resourceUri: "/subscriptions/s/resourceGroups/r/providers/Microsoft.KeyVault/vaults/kv-b", logs: [{ categoryGroup: "allLogs" }] } };
        const empty = { type: "azure-native:monitor:DiagnosticSetting", props: { resourceUri: "/subscriptions/s/resourceGroups/r/providers/Microsoft.KeyVault/vaults/kv-a", logs: [] } };
        assert.equal(benchmarkLedger([vault, other, empty])[0].state, "open");
    });

    it("shows in the readable plan, and every control is in docs/governance.md", () => {
        assert.match(committedText("prod"), /^Microsoft cloud security benchmark \(held: .*\):\n {4}held {4}Key Vault: resource logs enabled: 2 resource\(s\) hold it\n/m);
        // The vault's logs take the same platform path as the account's, and say whose they are.
        assert.match(committedText("prod"), /^ {4}open {4}key vault kv-contoso-prod-[0-9a-f]{4} -> workspace log-contoso-prod: Azure Monitor diagnostic setting/m);
        const doc = readFileSync(path.join(RepoRoot, "docs", "governance.md"), "utf8");
        for (const c of Controls) assert.ok(doc.includes(`| ${c.control} |`), `${c.control} is in the docs`);
    });
});
