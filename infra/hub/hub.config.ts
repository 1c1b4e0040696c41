/**
 * The hub stack's configuration (project `aoai-hub`, hub/Pulumi.yaml): where it lives, what it is
 * called, and the tools network the runner sits in. Keys `location`, `environment`, `namePrefix`,
 * `tags` (as an environment's), `addressSpace`, `runnerSubnetPrefix`, `runnerOutbound`. Read once,
 * every problem named, before anything is declared.
 */
import { ConfigError, ConfigSection, KeySpec, Reader, decodeKeys, show } from "../core/configReader";
import { Cidr, createdNetworkProblem, parseCidr } from "../core/ipRanges";
import { EnvironmentConfig, environmentSection } from "../environment.config";

/** The hub's project name in hub/Pulumi.yaml, and so the namespace of its keys. */
export const HubNamespace = "aoai-hub";

export interface HubConfig extends EnvironmentConfig {
    stack: string;
    /** Required. The tools network's private address space, e.g. 10.40.0.0/24; no spoke may overlap it. */
    addressSpace: string;
    /** Required. The runner's subnet inside it, e.g. 10.40.0.0/27. */
    runnerSubnetPrefix: string;
    /**
     * Optional. Defaults to `natGateway`: the runner reaches GitHub, Pulumi Cloud, Entra ID and ARM
     * through a NAT gateway with one static address. `none`: the platform team routes the subnet
     * through its own firewall (a route table it owns); new subnets have no default outbound access.
     */
    runnerOutbound: "natGateway" | "none";
}

const NetworkKeys: Record<string, KeySpec> = {
    addressSpace: { type: "string", required: true },
    runnerSubnetPrefix: { type: "string", required: true },
    runnerOutbound: { type: "string" },
};

/** Every key the hub accepts, with what hub/Pulumi.yaml declares for it. */
export const HubConfigKeys: Readonly<Record<string, KeySpec>> = { ...environmentSection.keys, ...NetworkKeys };

const networkSection: ConfigSection<Pick<HubConfig, "addressSpace" | "runnerSubnetPrefix" | "runnerOutbound">> = {
    keys: NetworkKeys,
    read(r, get) {
        const cidr = (key: string, example: string): Cidr | undefined => {
            const value = get(key);
            if (value === undefined || value === "") {
                r.report(key, `is required; e.g. ${example}`);
                return undefined;
            }
            const text = r.string(key, value);
            const parsed = text === undefined ? undefined : parseCidr(text);
            if (typeof parsed === "string") r.report(key, `${show(text)} ${parsed}`);
            return typeof parsed === "object" ? parsed : undefined;
        };
        const space = cidr("addressSpace", "10.40.0.0/24");
        const subnet = cidr("runnerSubnetPrefix", "10.40.0.0/27");
        const outbound = get("runnerOutbound");
        const runnerOutbound = outbound === undefined || outbound === "" ? "natGateway" : r.oneOf("runnerOutbound", outbound, ["natGateway", "none"] as const);
        if (!space || !subnet || !runnerOutbound) return undefined;
        const [spaceText, subnetText] = [get("addressSpace") as string, get("runnerSubnetPrefix") as string];
        const problem = createdNetworkProblem(spaceText, subnetText, "addressSpace");
        if (problem) {
            r.report(problem.on === "space" ? "addressSpace" : "runnerSubnetPrefix", problem.problem);
            return undefined;
        }
        return { addressSpace: spaceText, runnerSubnetPrefix: subnetText, runnerOutbound };
    },
};

/**
 * Validates everything Pulumi hands the hub program: its own keys (namespace `aoai-hub:`); a key in
 * any other namespace but Pulumi's and the provider's is refused rather than ignored.
 */
export function readHubConfig(config: Readonly<Record<string, string>>, stack: string): HubConfig {
    const prefix = `${HubNamespace}:`;
    const r = new Reader(prefix);
    const own: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        if (key.startsWith(prefix)) own[key.slice(prefix.length)] = value;
        else if (!key.startsWith("azure-native:") && !key.startsWith("pulumi:")) r.problems.push(`${key}: not a hub key; the hub's keys are ${Object.keys(HubConfigKeys).map((k) => `${prefix}${k}`).join(", ")}`);
    }
    const get = decodeKeys(r, own, Object.keys(HubConfigKeys));
    const environment = environmentSection.read(r, get, { stack });
    const network = networkSection.read(r, get, {});
    if (r.problems.length > 0 || !environment || !network) throw new ConfigError(r.problems);
    return { stack, ...environment, ...network };
}
