/** Data residency and outbound lock-down: what prod promises, what the plan shows, what dev keeps open. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { processingScope, residencyProblem } from "../infra/protection/residency";
import { committedPlan, committedText, primaryOf } from "./helpers";

const account = (stack: string) => primaryOf(committedPlan(stack), "azure-native:cognitiveservices:Account").inputs.properties as Record<string, unknown>;

describe("outbound lock-down", () => {
    it("is on in prod by default and in staging by choice, with nothing allowed out but prod's own Key Vault", () => {
        for (const stack of ["prod", "staging"]) assert.equal(account(stack).restrictOutboundNetworkAccess, true, stack);
        assert.deepEqual(account("staging").allowedFqdnList, []);
        assert.deepEqual(account("prod").allowedFqdnList, ["kv-contoso-prod-03c8.vault.azure.net"]);
    });

    it("is not sent for dev, which stays easy to experiment with", () => {
        assert.equal("restrictOutboundNetworkAccess" in account("dev"), false);
    });
});

describe("data residency", () => {
    it("says per deployment where prompts may be processed, in the readable plan", () => {
        assert.match(committedText("prod"), /^Where prompts may be processed:\n    chat \(DataZoneStandard\): anywhere in the US data zone\n    chat-mini \(DataZoneStandard\): anywhere in the US data zone$/m);
        assert.match(committedText("dev"), /^    chat \(GlobalStandard\): any geography where the model is deployed$/m);
    });

    it("knows which SKUs each promise allows", () => {
        assert.equal(processingScope("Standard", "swedencentral"), "the Azure geography of swedencentral");
        assert.equal(processingScope("DataZoneProvisionedManaged", "swedencentral"), "anywhere in the EU data zone");
        assert.equal(residencyProblem("datazone", "DataZoneStandard", "westeurope"), undefined);
        assert.equal(residencyProblem("region", "ProvisionedManaged", "westeurope"), undefined);
        assert.match(residencyProblem("datazone", "GlobalProvisionedManaged", "westeurope") ?? "", /may process prompts in any geography/);
        assert.match(residencyProblem("region", "DataZoneStandard", "westeurope") ?? "", /anywhere in the data zone/);
        assert.equal(residencyProblem("none", "GlobalStandard", "japaneast"), undefined);
    });
});
