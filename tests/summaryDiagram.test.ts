/**
 * The summary diagram a reviewer reads at a glance: at most about 30 nodes for prod, yet every account
 * with its endpoint and deployments, the gateway, who may call each account, and who can reach what.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatSummaryDiagram } from "../tools/plan/summaryDiagram";
import { committedPlan, committedText } from "./helpers";

const nodesOf = (diagram: string) => [...diagram.matchAll(/^ {4}(n\d+)[[({>]/gm)].map((m) => m[1]);

describe("summary diagram", () => {
    const prod = formatSummaryDiagram(committedPlan("prod"));

    it("draws prod in at most 30 nodes", () => {
        const nodes = nodesOf(prod);
        assert.ok(nodes.length > 5 && nodes.length <= 30, `${nodes.length} nodes`);
        assert.equal(new Set(nodes).size, nodes.length, "each node once");
    });

    it("shows each region's account, endpoint and deployments, and the gateway", () => {
        assert.match(prod, /subgraph region0\["primary region eastus2"\]\n {4}n\d+\["oai-contoso-prod<br\/>AIServices, https:\/\/contoso-prod-[0-9a-f]{8}\.openai\.azure\.com\/"\]/);
        assert.match(prod, /subgraph region1\["secondary region westus3"\]/);
        assert.match(prod, /"chat: gpt-5\.5 2026-04-24, DataZoneStandard x100<br\/>chat-mini: gpt-5\.4-mini 2026-03-17, DataZoneStandard x200"/);
        assert.match(prod, /"6 alerts<br\/>logs to log-contoso-prod<br\/>key in kv-contoso-prod-[0-9a-f]{4}"/);
        assert.match(prod, /\{\{"gateway apim-contoso-prod-[0-9a-f]{8}<br\/>StandardV2, public access Disabled"\}\}/);
    });

    it("shows the gateway's teams with what each may call and its limits, and where their usage goes", () => {
        assert.match(prod, /^ {4}(n\d+)>"team support<br\/>chat, chat-mini"\]\n {4}\1 -->\|"40000\/min, 200000000\/Monthly"\| (n\d+)$/m);
        assert.match(prod, /^ {4}(n\d+)>"team analytics<br\/>chat-mini"\]\n {4}\1 -->\|"20000\/min, 50000000\/Monthly"\| n\d+$/m);
        assert.match(prod, /^ {4}n\d+ -\.->\|"token metrics by team, deployment, model"\| n\d+$/m);
        assert.match(prod, /\[\("usage appi-apim-contoso-prod"\)\]/);
    });

    it("collapses role assignments to one caller each, named by what the offline ids stand for", () => {
        const edge = (who: string, roles: string) => {
            const id = new RegExp(`^ {4}(n\\d+)>"${who}"\\]$`, "m").exec(prod)?.[1];
            assert.ok(id, who);
            assert.match(prod, new RegExp(`^ {4}${id} -->\\|"${roles}"\\| n0$`, "m"), who);
        };
        edge("Group 7c9e6679-7425-40de-944b-e07fc1f90ae7", "Cognitive Services OpenAI User");
        edge("the identity running pulumi up", "Cognitive Services OpenAI User");
        edge("project support-assistant's identity", "Foundry User");
        edge("the gateway's identity", "Cognitive Services OpenAI User");
    });

    it("draws who can reach what: the internet crossed out, the network and the hub's runner open", () => {
        const id = (text: string) => new RegExp(`^ {4}(n\\d+)[[({>]+"${text}`, "m").exec(prod)?.[1];
        const [internet, runner, account] = [id("internet"), id("runner snet-runners in vnet-contoso-hub"), id("oai-contoso-prod<br")];
        assert.ok(internet && runner && account);
        assert.match(prod, new RegExp(`^ {4}${internet} --x\\|"closed"\\| ${account}$`, "m"));
        assert.match(prod, new RegExp(`^ {4}${runner} -->\\|"open"\\| ${account}$`, "m"));
    });

    it("draws the hub as its network and the zones linked to it", () => {
        const hub = formatSummaryDiagram(committedPlan("hub"));
        assert.equal(nodesOf(hub).length, 2);
        assert.match(hub, /"5 private DNS zones<br\/>privatelink\.openai\.azure\.com/);
        assert.match(hub, /subnet snet-runners 10\.40\.0\.0\/26, out through a NAT gateway/);
    });

    it("leads the readable plan's diagrams", () => {
        const text = committedText("prod");
        assert.ok(text.indexOf("Summary (Mermaid") < text.indexOf("Diagram of every resource (Mermaid)"));
    });
});
