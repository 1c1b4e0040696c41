/**
 * The hub section: an environment that joins a hub (docs/hub.md) takes every private DNS zone from
 * it, peers its network with the hub's tools network both ways, and links the hub's zones to its own
 * network, so the runner in the hub and the gateway in the spoke both resolve every private endpoint.
 * Key `hub` (`stack`).
 */
import { ConfigSection, isEmptyMapping } from "../core/configReader";
import { PrivateEndpointConfig } from "./privateNetwork.config";

export interface HubLinkConfig {
    /** Required. The hub's Pulumi stack, `<organization>/<project>/<stack>`, e.g. `contoso/aoai-hub/hub`. */
    stack: string;
}

const Fields = ["stack"] as const;

/** A fully qualified stack name: a spoke must not depend on whichever organization the CLI is logged in to. */
const StackName = { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\/[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/, allowed: "a fully qualified stack name <organization>/<project>/<stack>, e.g. contoso/aoai-hub/hub" } as const;

export const hubSection: ConfigSection<{ hub?: HubLinkConfig }, { privateEndpoint?: PrivateEndpointConfig; privateEndpointValid: boolean }> = {
    keys: { hub: { fields: Fields } },
    read(r, get, { privateEndpoint, privateEndpointValid }) {
        const value = get("hub");
        if (value === undefined || isEmptyMapping(value)) return {};
        const h = r.object("hub", value);
        if (!h) return undefined;
        r.unknownKeys("hub", h, Fields);
        if (h.stack === undefined) {
            r.report("hub.stack", `is required: ${StackName.allowed}`);
            return undefined;
        }
        const stack = r.string("hub.stack", h.stack, StackName);
        if (!stack) return undefined;
        // An invalid privateEndpoint section has said what is wrong with it already.
        if (!privateEndpointValid) return undefined;
        if (!privateEndpoint) {
            r.report("hub", "needs aoai:privateEndpoint with vnetAddressSpace and subnetAddressPrefix: a spoke joins the hub through the network the stack creates");
            return undefined;
        }
        if (privateEndpoint.subnet.kind !== "create") {
            r.report("hub", "peers the network the stack creates, and privateEndpoint.subnetId names someone else's: give vnetAddressSpace and subnetAddressPrefix instead, or leave out aoai:hub and give the hub's zone ids (privateEndpoint.dnsZoneId and the rest) where the network's owner peers it");
            return undefined;
        }
        if (privateEndpoint.dnsZone.kind === "existing") {
            r.report("hub", "takes every private DNS zone from the hub stack; remove privateEndpoint.dnsZoneId, cognitiveServicesDnsZoneId and aiServicesDnsZoneId");
            return undefined;
        }
        return { hub: { stack } };
    },
};
