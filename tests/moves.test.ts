/**
 * Regions became components (infra/region.ts): every resource of a region moved under one, which
 * changes its URN. Pulumi matches a resource to its state by URN and then by alias, and would delete
 * and recreate in Azure whatever it cannot match. fixtures/before-regions holds each committed stack
 * file as it was then and the plan the program rendered from it; today's program renders the same
 * files, and this proves resource by resource that the engine finds every old resource again, with the
 * same inputs, and that plan-diff shows no replace and no delete. (Later changes to the stack files
 * themselves are the snapshots' and plan-diff's to show, not this move's.)
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "fs";
import * as path from "path";
import type { Plan } from "../tools/plan/planModel";
import { renderConfig } from "../tools/plan/offlinePlan";
import { parseStackFile, readStackFile } from "../tools/plan/stackFile";
import { claimsOf, urnsOf } from "../tools/diff/urns";
import { diffPlans } from "../tools/diff/planDiff";
import { SnapshotDay } from "../tools/review/snapshots";

const fixtures = path.join(__dirname, "fixtures", "before-regions");
const renderedBefore = (stack: string): Plan => JSON.parse(readFileSync(path.join(fixtures, `${stack}.plan.json`), "utf8"));
const today = new Date(`${SnapshotDay}T00:00:00Z`);

/**
 * What the program has declared since the move, beside it: each project identity's role on its account,
 * Defender for AI on each account (on by default in prod), the gateway's Responses and v1 operations,
 * and the logs of the gateway and of each created vault.
 */
const addedSince = (name: string) => /^access-project-.+-identity$|^defender(-[a-z0-9]+)?$|^gateway-(responses|v1-[a-z-]+|logs)$|^diagnostics(-[a-z0-9]+)?-vault-setting$/.test(name);

/**
 * Inputs deliberately changed since the move, by resource type, each with why; the old plan is read
 * with them as they are now, and plan-diff may show them as updates. A Sleep's new duration applies to
 * a future create only: Azure sees nothing.
 */
const ChangedSince: Record<string, { input: string; now: unknown; why: string }> = {
    "time:index/sleep:Sleep": { input: "createDuration", now: "600s", why: "the grant wait's default became Key Vault's 10 minutes (docs/deploy-hazards.md, H3)" },
    "azure-native:operationalinsights:Workspace": { input: "features", now: { disableLocalAuth: true }, why: "Entra ID only, as the security benchmark asks (docs/governance.md)" },
};
const asNow = (r: { type: string; inputs: Record<string, unknown> }) => (ChangedSince[r.type] ? { ...r.inputs, [ChangedSince[r.type].input]: ChangedSince[r.type].now } : r.inputs);

describe("the move into Region components", () => {
    for (const stack of ["dev", "staging", "prod"]) {
        describe(stack, () => {
            const old = renderedBefore(stack);
            let now: Plan;
            before(async () => {
                now = await renderConfig(parseStackFile(stack, readStackFile(path.join(fixtures, `Pulumi.${stack}.yaml`)), today));
            });

            it("finds every old URN again, once, on a resource of the same type with the same inputs", () => {
                const oldUrns = urnsOf(old);
                const claims = claimsOf(old, now);
                for (const [i, urn] of oldUrns.entries()) {
                    const takers = claims.flatMap((c, j) => (c === urn ? [now.resources[j]] : []));
                    assert.equal(takers.length, 1, `${urn}: claimed by ${takers.length}`);
                    assert.equal(takers[0].type, old.resources[i].type, urn);
                    assert.deepEqual(takers[0].inputs, asNow(old.resources[i]), urn);
                    assert.equal(takers[0].protect, old.resources[i].protect, urn);
                }
                const fresh = now.resources.filter((r, j) => claims[j] === undefined && !addedSince(r.name));
                assert.deepEqual([...new Set(fresh.map((r) => r.type))], ["aoai:platform:Region"], "only the regions themselves are new");
            });

            it("moves components only by alias, and plan-diff shows no replace and no delete", () => {
                const changes = diffPlans(old, now, today).filter((c) => !addedSince(c.resource) && !(c.kind === "update" && ChangedSince[c.type]));
                assert.deepEqual(changes.filter((c) => c.severity !== "info"), []);
                assert.ok(changes.length > 0 && changes.every((c) => c.kind === "moved"), JSON.stringify(changes.map((c) => c.kind)));
            });

            it("would replace what moved if the aliases were missing", () => {
                const bare: Plan = { ...now, resources: now.resources.map(({ aliases: _aliases, ...r }) => r) };
                const claims = claimsOf(old, bare);
                const lost = urnsOf(old).filter((urn) => !claims.includes(urn));
                assert.ok(lost.length >= 5, `${lost.length} old URNs lost`);
                const replaced = diffPlans(old, bare, today).filter((c) => c.kind === "replace");
                assert.ok(replaced.some((c) => c.type === "azure-native:cognitiveservices:Account"), "the account itself would be replaced");
            });
        });
    }
});
