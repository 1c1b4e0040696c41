/**
 * Who may deploy a model version: registration and the day a version closes to new subscriptions
 * (infra/deployments/data/modelAccess.json). The committed stacks must deploy in any subscription.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import data from "../infra/deployments/data/modelAccess.json";
import { accessWarnings } from "../infra/deployments/modelAccess";
import { stackNames } from "../tools/repo";
import { committedPlan } from "./helpers";

const day = (d: string) => new Date(`${d}T00:00:00Z`);

describe("model access", () => {
    it("warns for a version that needs registration, naming the form", () => {
        assert.deepEqual(accessWarnings("gpt-5.4", "2026-03-05", day("2026-06-01")), [
            "gpt-5.4 2026-03-05 needs registration: only subscriptions Microsoft approved can deploy it (https://aka.ms/oai/gpt5access)",
        ]);
    });

    it("warns from 90 days before a version closes to new subscriptions, and says when it has closed", () => {
        assert.deepEqual(accessWarnings("gpt-5.4-mini", "2026-03-17", day("2026-12-16")), []);
        assert.deepEqual(accessWarnings("gpt-5.4-mini", "2026-03-17", day("2026-12-17")), ["gpt-5.4-mini 2026-03-17 closes on 2027-03-17, in 90 days, to subscriptions that never deployed it"]);
        assert.deepEqual(accessWarnings("gpt-5-mini", "2025-08-07", day("2026-12-07")), [
            "gpt-5-mini 2025-08-07 closed on 2026-08-07 to subscriptions that never deployed it: a new subscription cannot create it; pin a newer version",
        ]);
    });

    it("says nothing of a version the data does not know (the preflight reads Azure)", () => {
        assert.deepEqual(accessWarnings("gpt-9", "2030-01-01", day("2026-12-07")), []);
    });

    it("closes each dated version twelve months after its release", () => {
        for (const row of data.versions) {
            const [y, m, d] = row.version.split("-").map(Number);
            assert.equal(row.closesToNewSubscriptions, `${y + 1}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`, `${row.model} ${row.version}`);
            assert.equal(row.registration, "form" in row, `${row.model}: a form exactly when registration is required`);
        }
    });

    it("holds every committed stack to versions any subscription can deploy, as of the data's day", () => {
        for (const stack of stackNames()) {
            for (const d of committedPlan(stack).resources.filter((r) => r.type === "azure-native:cognitiveservices:Deployment")) {
                const model = (d.inputs.properties as { model: { name: string; version: string } }).model;
                assert.deepEqual(accessWarnings(model.name, model.version, day(data.readOn)), [], `${stack} ${d.name}`);
            }
        }
    });
});
