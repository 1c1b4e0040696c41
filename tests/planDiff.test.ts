/** The plan diff on the committed prod plan and edited copies of it: each kind of change, its severity and the order. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import type { Plan, PlanResource } from "../tools/plan/planModel";
import { Change, diffPlans } from "../tools/diff/planDiff";
import { RepoRoot } from "../tools/repo";

const prodFile = path.join(RepoRoot, "tests", "snapshots", "prod.plan.json");
const prod = (): Plan => JSON.parse(readFileSync(prodFile, "utf8"));

function edit(change: (plan: Plan, find: (name: string) => PlanResource) => void): Plan {
    const plan = prod();
    change(plan, (name) => {
        const r = plan.resources.find((x) => x.name === name);
        if (!r) throw new Error(`no resource ${name}`);
        return r;
    });
    return plan;
}

const summary = (changes: Change[]) => changes.map((c) => [c.severity, c.kind, c.resource, c.path]);
const account = (r: PlanResource) => r.inputs.properties as Record<string, any>;

describe("diffPlans", () => {
    it("finds nothing between identical plans", () => {
        assert.deepEqual(diffPlans(prod(), prod()), []);
    });

    it("flags a new custom subdomain as a replacement that changes every client's endpoint", () => {
        const changes = diffPlans(prod(), edit((_, find) => (account(find("openai-account")).customSubDomainName = "contoso-new")));
        assert.deepEqual(summary(changes), [["danger", "replace", "openai-account", "properties.customSubDomainName"]]);
        assert.match(changes[0].message, /a new custom subdomain means a new endpoint for every client/);
    });

    it("flags a renamed subscription team as a new key for the team, and a removed gateway path as 404s", () => {
        const subscription = (sid: string): PlanResource => ({
            type: "azure-native:apimanagement:Subscription", name: "gateway-subscription-batch", parent: "gateway", dependsOn: [], protect: false,
            inputs: { resourceGroupName: "rg-contoso-prod", serviceName: "apim-x", sid, scope: `/products/${sid}`, displayName: "Team batch", state: "active" },
        });
        const before = edit((plan) => plan.resources.push(subscription("team-batch")));
        const after = edit((plan) => {
            plan.resources.push(subscription("team-batch-jobs"));
            plan.resources = plan.resources.filter((r) => r.name !== "gateway-v1-responses");
        });
        const changes = diffPlans(before, after);
        const replaced = changes.find((c) => c.resource === "gateway-subscription-batch" && c.kind === "replace");
        assert.equal(replaced?.severity, "danger");
        assert.match(replaced!.message, /its team gets a new key, and the old one stops working/);
        assert.match(changes.find((c) => c.resource === "gateway-v1-responses")!.message, /clients on that path get 404/);
    });

    it("flags a model change as a replacement and a version change as an update", () => {
        const changes = diffPlans(
            prod(),
            edit((_, find) => {
                const model = (find("openai-deployment-chat").inputs.properties as any).model;
                model.name = "gpt-4.1";
                model.version = "2025-04-14";
            }),
            new Date("2026-12-05T00:00:00Z"),
        );
        // A version change is a warning naming both retirement dates (modelLifecycle.test.ts).
        assert.deepEqual(summary(changes), [
            ["danger", "replace", "openai-deployment-chat", "properties.model.name"],
            ["warning", "update", "openai-deployment-chat", "properties.model.version"],
        ]);
    });

    it("flags deletions, and names what a removed lock, endpoint, setting or assignment means", () => {
        const removed = ["openai-deployment-chat-mini", "openai-lock", "private-network-endpoint", "diagnostics-setting", "access-deployer-cognitive-services-openai-user"];
        const changes = diffPlans(prod(), edit((plan) => (plan.resources = plan.resources.filter((r) => !removed.includes(r.name)))));
        assert.deepEqual(summary(changes), [
            ["danger", "delete", "openai-deployment-chat-mini", null],
            ["danger", "network-exposure", "private-network-endpoint", null],
            ["danger", "protection-removed", "openai-lock", null],
            ["danger", "diagnostics-removed", "diagnostics-setting", null],
            ["danger", "role", "access-deployer-cognitive-services-openai-user", null],
        ]);
    });

    it("flags wider network exposure and keys turned on as dangerous, narrower as informational", () => {
        const open = edit((_, find) => {
            const p = account(find("openai-account"));
            p.publicNetworkAccess = "Enabled";
            p.networkAcls.defaultAction = "Allow";
            p.networkAcls.ipRules = [{ value: "203.0.113.10" }];
            p.networkAcls.bypass = "AzureServices";
            p.disableLocalAuth = false;
        });
        assert.deepEqual(summary(diffPlans(prod(), open)), [
            ["danger", "network-exposure", "openai-account", "properties.networkAcls.defaultAction"],
            ["danger", "network-exposure", "openai-account", "properties.networkAcls.ipRules"],
            ["danger", "network-exposure", "openai-account", "properties.publicNetworkAccess"],
            ["danger", "local-auth", "openai-account", "properties.disableLocalAuth"],
            ["warning", "network-exposure", "openai-account", "properties.networkAcls.bypass"],
        ]);
        assert.deepEqual(
            diffPlans(open, prod()).map((c) => c.severity),
            ["info", "info", "info", "info", "info"],
            "closing everything again is no danger",
        );
    });

    it("flags removed protection", () => {
        assert.deepEqual(summary(diffPlans(prod(), edit((_, find) => (find("openai-account").protect = false)))), [["danger", "protection-removed", "openai-account", "protect"]]);
    });

    it("flags weakened diagnostics", () => {
        const changes = diffPlans(prod(), edit((_, find) => (find("diagnostics-setting").inputs.logs = [{ categoryGroup: "audit", enabled: true }])));
        assert.deepEqual(summary(changes), [["danger", "diagnostics-removed", "diagnostics-setting", "logs"]]);
    });

    it("asks to check capacity and SKU changes, and says when capacity goes down", () => {
        const changes = diffPlans(
            prod(),
            edit((_, find) => {
                (find("openai-deployment-chat").inputs.sku as any).capacity = 40;
                (find("openai-deployment-chat-mini").inputs.sku as any).capacity = 300;
                (find("openai-deployment-chat-mini").inputs.sku as any).name = "GlobalStandard";
            }),
        );
        assert.deepEqual(summary(changes), [
            ["warning", "capacity", "openai-deployment-chat", "sku.capacity"],
            ["warning", "capacity", "openai-deployment-chat-mini", "sku.capacity"],
            ["warning", "sku", "openai-deployment-chat-mini", "sku.name"],
        ]);
        assert.match(changes[0].message, /capacity reduced 100 -> 40/);
        assert.doesNotMatch(changes[1].message, /reduced/);
    });

    it("lists granted access for review and new resources as information", () => {
        const granted = edit((plan, find) => {
            const copy = structuredClone(find("access-deployer-cognitive-services-openai-user"));
            copy.name = "access-new-group";
            copy.inputs.principalId = "11111111-2222-3333-4444-555555555555";
            plan.resources.push(copy);
            const workspace = structuredClone(find("diagnostics-workspace"));
            workspace.name = "diagnostics-workspace-2";
            plan.resources.push(workspace);
        });
        assert.deepEqual(summary(diffPlans(prod(), granted)), [
            ["warning", "role", "access-new-group", null],
            ["info", "create", "diagnostics-workspace-2", null],
        ]);
    });

    it("orders every danger before any warning before any information", () => {
        const changes = diffPlans(
            prod(),
            edit((plan, find) => {
                (find("openai-deployment-chat").inputs.sku as any).capacity = 150;
                find("openai-account").inputs.tags = { ...(find("openai-account").inputs.tags as object), extra: "x" };
                plan.resources = plan.resources.filter((r) => r.name !== "openai-lock");
            }),
        );
        assert.deepEqual(changes.map((c) => c.severity), ["danger", "warning", "info"]);
    });
});

describe("plan-diff command", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "plan-diff-"));
    const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", path.join(RepoRoot, "tools", "diff", "planDiffCli.ts"), ...args], { cwd: RepoRoot, encoding: "utf8" });

    it("exits 0 when nothing dangerous changed, 1 when something did, with --json for pipelines", () => {
        const capacity = path.join(dir, "capacity.json");
        writeFileSync(capacity, JSON.stringify(edit((_, find) => ((find("openai-deployment-chat").inputs.sku as any).capacity = 120))));
        const safe = run(prodFile, capacity);
        assert.equal(safe.status, 0, safe.stderr);
        assert.match(safe.stdout, /^WARNING  capacity +openai-deployment-chat \(Deployment\)  sku\.capacity: capacity 100 -> 120: check the quota$/m);

        const subdomain = path.join(dir, "subdomain.json");
        writeFileSync(subdomain, JSON.stringify(edit((_, find) => (account(find("openai-account")).customSubDomainName = "contoso-new"))));
        const dangerous = run(prodFile, subdomain, "--json");
        assert.equal(dangerous.status, 1);
        const report = JSON.parse(dangerous.stdout);
        assert.equal(report.dangerous, true);
        assert.equal(report.changes[0].kind, "replace");
    });

    it("exits 2 on usage and input errors", () => {
        assert.equal(run(prodFile).status, 2);
        assert.equal(run(prodFile, prodFile, "--yaml").status, 2);
        const notPlan = path.join(dir, "not-plan.json");
        writeFileSync(notPlan, "{}");
        const bad = run(prodFile, notPlan);
        assert.equal(bad.status, 2);
        assert.match(bad.stderr, /not a plan; produce one with npm run -s plan -- <stack> --json/);
    });
});

describe("plan diff on the gateway's network", () => {
    const prod = JSON.parse(readFileSync(path.join(RepoRoot, "tests", "snapshots", "prod.plan.json"), "utf8")) as Plan;
    const service = (plan: Plan) => plan.resources.find((r) => r.type === "azure-native:apimanagement:ApiManagementService")!;

    it("a gateway leaving its network, or opening to the internet, is dangerous", () => {
        const after = JSON.parse(JSON.stringify(prod)) as Plan;
        delete service(after).inputs.virtualNetworkConfiguration;
        service(after).inputs.virtualNetworkType = "None";
        service(after).inputs.publicNetworkAccess = "Enabled";
        assert.deepEqual(
            diffPlans(prod, after).map((c) => [c.severity, c.kind, c.path, c.message]),
            [
                ["danger", "network-exposure", "publicNetworkAccess", "the gateway answers the internet again"],
                ["danger", "network-exposure", "virtualNetworkConfiguration", "the gateway leaves its network: it can no longer reach private accounts"],
            ],
        );
    });
});

