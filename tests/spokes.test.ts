/**
 * Environments that join the hub (aoai:hub): they hold none of the hub's zones, peer with its tools
 * network both ways, write their network one change at a time, and the deploy runner in the hub has an
 * open path to every account and gateway they have. A hub that reports less than a spoke needs, or
 * overlaps it, stops the program; a hub in another subscription leaves its side to its owner.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { StackConfig } from "../infra/config";
import { reachability } from "../infra/network/reachability";
import { CommandError } from "../tools/cli";
import * as path from "path";
import { renderConfig } from "../tools/plan/offlinePlan";
import { diffPlans } from "../tools/diff/planDiff";
import { SnapshotDay } from "../tools/review/snapshots";
import { Plan, PlanResource, isComponent, runnerOf } from "../tools/plan/planModel";
import { loadStack, parseStackFile, readStackFile } from "../tools/plan/stackFile";
import { byType, committedPlan } from "./helpers";

const Hub = "contoso/aoai-hub/hub";
const hubOutputs = committedPlan("hub").outputs as Record<string, unknown> & { dnsZoneIds: Record<string, string>; virtualNetworkId: string };
const configOf = (stack: string) => (loadStack(stack) as { config: StackConfig }).config;
const resourcesOf = (plan: Plan) => plan.resources.filter((r) => !isComponent(r)).map((r) => ({ type: r.type, props: r.inputs }));
const runnerPaths = (plan: Plan) => reachability(resourcesOf(plan), runnerOf(plan)).filter((p) => p.from.startsWith("runner "));

/** Every resource a resource waits for, through explicit dependsOn, transitively. */
function waitsFor(plan: Plan, name: string, seen = new Set<string>()): Set<string> {
    for (const d of plan.resources.find((r) => r.name === name)?.dependsOn ?? []) {
        if (!seen.has(d)) waitsFor(plan, d, seen.add(d));
    }
    return seen;
}

for (const stack of ["staging", "prod"]) {
    describe(`${stack} joins the hub`, () => {
        const plan = committedPlan(stack);
        const vnetName = `vnet-contoso-${stack}`;

        it("creates no zone of the hub's, and registers every endpoint in the hub's zones only", () => {
            assert.deepEqual(byType(plan, "azure-native:privatedns:PrivateZone"), []);
            const hubZones = Object.values(hubOutputs.dnsZoneIds);
            const groups = byType(plan, "azure-native:network:PrivateDnsZoneGroup");
            assert.ok(groups.length > 0);
            for (const g of groups) for (const c of g.inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[]) assert.ok(hubZones.includes(c.privateDnsZoneId), c.privateDnsZoneId);
        });

        it("peers with the tools network both ways, for nothing but traffic between the two", () => {
            const peerings = byType(plan, "azure-native:network:VirtualNetworkPeering").map((p) => p.inputs);
            const spokeId = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-${stack}/providers/Microsoft.Network/virtualNetworks/${vnetName}`;
            assert.deepEqual(
                peerings.map((p) => [p.resourceGroupName, p.virtualNetworkName, (p.remoteVirtualNetwork as { id: string }).id, p.allowVirtualNetworkAccess, p.allowForwardedTraffic, p.allowGatewayTransit, p.useRemoteGateways]),
                [
                    [`rg-contoso-${stack}`, vnetName, hubOutputs.virtualNetworkId, true, false, false, false],
                    ["rg-contoso-hub", "vnet-contoso-hub", spokeId, true, false, false, false],
                ],
            );
        });

        it("writes its network one change at a time: subnets, the peering, the endpoints, the gateway's join", () => {
            const onNetwork = plan.resources.filter(
                (r: PlanResource) =>
                    (["azure-native:network:Subnet", "azure-native:network:VirtualNetworkPeering"].includes(r.type) && r.inputs.virtualNetworkName === vnetName) ||
                    r.type === "azure-native:network:PrivateEndpoint" ||
                    r.type === "azure-native:apimanagement:ApiManagementService",
            );
            assert.ok(onNetwork.length >= 3, onNetwork.map((r) => r.name).join(", "));
            for (const [i, a] of onNetwork.entries()) {
                for (const b of onNetwork.slice(i + 1)) {
                    // Endpoints in one subnet only add network interfaces; Azure creates them side by side.
                    if (a.type === "azure-native:network:PrivateEndpoint" && b.type === a.type) continue;
                    assert.ok(waitsFor(plan, a.name).has(b.name) || waitsFor(plan, b.name).has(a.name), `${a.name} and ${b.name} could be written at once`);
                }
            }
            for (const after of [...byType(plan, "azure-native:privatedns:VirtualNetworkLink"), byType(plan, "azure-native:network:VirtualNetworkPeering")[1]]) {
                assert.ok(waitsFor(plan, after.name).has("private-network-hub-peering"), `${after.name} waits for the spoke's own peering`);
            }
        });

        it("gives the runner in the hub an open path to every account and the gateway", () => {
            const targets = plan.resources.filter((r) => /cognitiveservices:Account$|ApiManagementService$/.test(r.type)).length;
            const paths = runnerPaths(plan);
            assert.equal(paths.length, targets);
            assert.deepEqual(paths.filter((p) => p.state !== "open"), []);
        });

        it("shows a missing side of the peering or a missing zone registration on the runner's path", () => {
            const without = (drop: (r: PlanResource) => boolean): Plan => ({ ...plan, resources: plan.resources.filter((r) => !drop(r)) });
            const back = runnerPaths(without((r) => r.name === "private-network-hub-peering-back"));
            assert.ok(back.every((p) => p.state === "outside" && p.how.includes(`the hub's owner must peer vnet-contoso-hub back to ${vnetName}`)), back[0].how);
            const own = runnerPaths(without((r) => r.name === "private-network-hub-peering"));
            assert.ok(own.every((p) => p.state === "closed" && p.how.includes(`${vnetName} is not peered with vnet-contoso-hub`)));
            const unregistered = runnerPaths(without((r) => r.name === "private-network-dns-zone-group"));
            assert.match(unregistered.find((p) => p.to === `account oai-contoso-${stack}`)!.how, /is not registered in the hub's privatelink\.openai\.azure\.com/);
        });
    });
}

describe("reading the hub", () => {
    const staging = configOf("staging");
    const render = (outputs: Record<string, unknown>) => renderConfig(staging, undefined, { hubs: { [Hub]: outputs } });

    it("stops, naming every output a spoke needs and the hub does not report", async () => {
        const { privatelink: _, ...zones } = { privatelink: 0, ...hubOutputs.dnsZoneIds };
        delete (zones as Record<string, unknown>)["privatelink.azure-api.net"];
        await assert.rejects(render({ ...hubOutputs, dnsZoneIds: zones, runnerSubnetId: undefined }), (err: Error) =>
            /The hub stack contoso\/aoai-hub\/hub \(aoai:hub\.stack\) does not report what a spoke needs:\n {2}- runnerSubnetId: missing\n {2}- dnsZoneIds\.privatelink\.azure-api\.net: missing\nRun pulumi up on the hub first/.test(err.message),
        );
        await assert.rejects(render({}), (err: Error) => err.message.split("\n").filter((l) => l.endsWith(": missing")).length === 8);
    });

    it("stops when the hub's network overlaps the spoke's: Azure refuses to peer them", async () => {
        await assert.rejects(render({ ...hubOutputs, addressSpace: "10.48.0.0/12" }), /aoai:privateEndpoint\.vnetAddressSpace 10\.50\.0\.0\/24 overlaps the hub contoso\/aoai-hub\/hub's network 10\.48\.0\.0\/12/);
    });

    it("writes only its own side for a hub in another subscription, and the plan says who writes the rest", async () => {
        const other = "11111111-1111-1111-1111-111111111111";
        const moved = JSON.parse(JSON.stringify(hubOutputs).replaceAll("00000000-0000-0000-0000-000000000000", other));
        const plan = await render(moved);
        assert.deepEqual(byType(plan, "azure-native:network:VirtualNetworkPeering").map((p) => p.inputs.virtualNetworkName), ["vnet-contoso-staging"]);
        assert.deepEqual(byType(plan, "azure-native:privatedns:VirtualNetworkLink"), []);
        assert.ok(runnerPaths(plan).every((p) => p.state === "outside"));
    });

    it("needs the hub's stack file to render a spoke offline, and says which", async () => {
        await assert.rejects(renderConfig({ ...staging, hub: { stack: "contoso/aoai-hub/elsewhere" } }), (err: Error) => err instanceof CommandError && err.message.includes("hub/Pulumi.elsewhere.yaml"));
    });

    it("leaves a standalone environment as it was: no reference, no peering", () => {
        const dev = committedPlan("dev");
        assert.deepEqual(dev.resources.filter((r) => /StackReference|VirtualNetworkPeering/.test(r.type)), []);
        assert.equal(dev.outputs.hub, undefined);
    });
});

describe("moving an environment into the hub", () => {
    it("plan-diff stops the move where Azure would: a hub zone linked while the network's own zone of that name still is", async () => {
        const today = new Date(`${SnapshotDay}T00:00:00Z`);
        // prod as it stood before it joined the hub: its own zones, linked to its own network.
        const standalone = await renderConfig(parseStackFile("prod", readStackFile(path.join(__dirname, "fixtures", "weakened", "own-dns-zones.yaml")), today));
        const changes = diffPlans(standalone, committedPlan("prod"), today);
        const collisions = changes.filter((c) => c.kind === "replace" && c.type === "azure-native:privatedns:VirtualNetworkLink");
        assert.deepEqual(collisions.map((c) => [c.severity, c.after]), ["privatelink.azure-api.net", "privatelink.cognitiveservices.azure.com", "privatelink.openai.azure.com", "privatelink.services.ai.azure.com"].map((z) => ["danger", z]));
        assert.match(collisions[0].message, /Delete the old link first \(docs\/hub\.md/);
        // A first create into the hub has nothing to collide with.
        assert.deepEqual(diffPlans({ ...committedPlan("prod"), resources: [] }, committedPlan("prod"), today).filter((c) => c.kind === "replace"), []);
    });
});
