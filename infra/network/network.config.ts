/**
 * The network section: who may reach the account's public endpoint (its firewall).
 * Key `network` (`publicNetworkAccess`, `defaultAction`, `bypass`, `ipRules`, `virtualNetworkRules`).
 */
import { ConfigSection } from "../core/configReader";
import { checkIpRule } from "../core/ipRanges";
import { checkResourceId } from "../core/validators";

export interface NetworkConfig {
    /** Optional. Defaults to `Disabled` when a private endpoint is configured, else `Enabled`. */
    publicNetworkAccess: "Enabled" | "Disabled";
    /** Optional. Defaults to `Deny` when public access is disabled or any rule is given, else `Allow`. */
    defaultAction: "Allow" | "Deny";
    /** Optional. Defaults to `None`: no exception for trusted Azure services. */
    bypass: "None" | "AzureServices";
    /** Optional. Defaults to none. Public IPv4 addresses or CIDR blocks allowed through the firewall. */
    ipRules: string[];
    /** Optional. Defaults to none. Subnet ids (with the Microsoft.CognitiveServices service endpoint) allowed through. */
    virtualNetworkRules: string[];
}

const Fields = ["publicNetworkAccess", "defaultAction", "bypass", "ipRules", "virtualNetworkRules"] as const;

export const networkSection: ConfigSection<{ network: NetworkConfig }, { hasPrivateEndpoint: boolean }> = {
    keys: { network: { fields: Fields } },
    read(r, get, { hasPrivateEndpoint }) {
        const value = get("network");
        const n = value === undefined ? {} : r.object("network", value);
        if (!n) return undefined;
        r.unknownKeys("network", n, Fields);
        const publicNetworkAccess =
            n.publicNetworkAccess === undefined ? (hasPrivateEndpoint ? "Disabled" : "Enabled") : r.oneOf("network.publicNetworkAccess", n.publicNetworkAccess, ["Enabled", "Disabled"] as const);
        const ipRules = r.stringList("network.ipRules", n.ipRules, checkIpRule);
        const virtualNetworkRules = r.stringList("network.virtualNetworkRules", n.virtualNetworkRules, (id) => checkResourceId(id, "subnet"));
        const hasRules = ipRules.length > 0 || virtualNetworkRules.length > 0;
        const defaultAction =
            n.defaultAction === undefined ? (publicNetworkAccess === "Disabled" || hasRules ? "Deny" : "Allow") : r.oneOf("network.defaultAction", n.defaultAction, ["Allow", "Deny"] as const);
        const bypass = n.bypass === undefined ? "None" : r.oneOf("network.bypass", n.bypass, ["None", "AzureServices"] as const);
        if (!publicNetworkAccess || !defaultAction || !bypass) return undefined;

        if (defaultAction === "Allow" && hasRules) {
            r.report("network.defaultAction", `"Allow" makes ipRules and virtualNetworkRules meaningless (everything is allowed); use "Deny"`);
        }
        if (publicNetworkAccess === "Disabled" && defaultAction === "Allow") {
            r.report("network.defaultAction", `"Allow" contradicts publicNetworkAccess "Disabled"; use "Deny"`);
        }
        if (!hasPrivateEndpoint && publicNetworkAccess === "Disabled") {
            r.report("network.publicNetworkAccess", `"Disabled" without privateEndpoint leaves the account unreachable; configure privateEndpoint or enable public access with ipRules`);
        } else if (!hasPrivateEndpoint && defaultAction === "Deny" && !hasRules) {
            r.report("network.defaultAction", `"Deny" with no ipRules, no virtualNetworkRules and no privateEndpoint leaves the account unreachable; add a rule or a private endpoint`);
        }
        return { network: { publicNetworkAccess, defaultAction, bypass, ipRules, virtualNetworkRules } };
    },
};
