/**
 * Spillover: a provisioned deployment's overflow goes to a standard deployment of the same model and
 * data-processing level in the same account; the target is written first in the account's chain, and
 * the readable plan and the diagram show the path. (fixtures/invalid/spillover-*.yaml: what is refused.)
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spilloverTargetsFirst } from "../infra/deployments/deployments";
import type { ModelDeploymentConfig } from "../infra/deployments/deployments.config";
import { renderConfig } from "../tools/plan/offlinePlan";
import { formatPlanText } from "../tools/plan/planText";
import { parseStackConfig } from "../infra/config";
import { byType } from "./helpers";

const deployments = [
    { name: "ptu", model: "gpt-5.4", version: "2099-03-05", sku: "GlobalProvisionedManaged", capacity: 15, spilloverTo: "chat" },
    { name: "chat", model: "gpt-5.4", version: "2099-03-05", sku: "GlobalStandard", capacity: 50 },
];
const config = () => parseStackConfig({ location: "eastus2", namePrefix: "demo", deployments: JSON.stringify(deployments), regions: JSON.stringify([{ location: "westus3" }]) }, "test");

describe("spillover", () => {
    it("sets spilloverDeploymentName, and writes the target before the deployment that names it, in each region's chain", async () => {
        const plan = await renderConfig(config());
        const written = byType(plan, "azure-native:cognitiveservices:Deployment").map((d) => [String(d.inputs.accountName), String(d.inputs.deploymentName), d.dependsOn]);
        assert.deepEqual(written, [
            ["oai-demo-test", "chat", []],
            ["oai-demo-test", "ptu", ["openai-deployment-chat"]],
            ["oai-demo-test-westus3", "chat", []],
            ["oai-demo-test-westus3", "ptu", ["openai-westus3-deployment-chat"]],
        ]);
        const ptu = byType(plan, "azure-native:cognitiveservices:Deployment").find((d) => d.inputs.deploymentName === "ptu")!;
        assert.equal((ptu.inputs.properties as { spilloverDeploymentName?: string }).spilloverDeploymentName, "chat");
        const text = formatPlanText(plan, "test");
        assert.match(text, /^Spillover \(when a provisioned deployment is at capacity, Azure sends the overflow to\):\n {4}oai-demo-test: ptu \(GlobalProvisionedManaged\) -> chat\n {4}oai-demo-test-westus3: ptu \(GlobalProvisionedManaged\) -> chat$/m);
        assert.match(text, /^ {4}r\d+ -\.->\|"spills over to"\| r\d+$/m, "the diagram draws the overflow path");
    });

    it("keeps the stack's order when nothing spills over, and otherwise moves only the targets forward", () => {
        const d = (name: string, spilloverTo?: string) => ({ name, ...(spilloverTo ? { spilloverTo } : {}) }) as ModelDeploymentConfig;
        assert.deepEqual(spilloverTargetsFirst([d("a"), d("b"), d("c")]).map((x) => x.name), ["a", "b", "c"]);
        assert.deepEqual(spilloverTargetsFirst([d("a", "c"), d("b"), d("c")]).map((x) => x.name), ["c", "a", "b"]);
    });
});
