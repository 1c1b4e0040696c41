/**
 * The stack configuration, composed from one section per concern (`*.config.ts`). It is read,
 * decoded and validated once per process and then flows one way, as one typed object, into the
 * components. Validation collects every problem before anything is registered, and each problem
 * names the key, the bad value and what is allowed.
 *
 * A new capability adds its section to `Sections` and one line to `parseStackConfig`.
 */
import { channel } from "node:diagnostics_channel";
import { AccessConfig, accessSection } from "./access/access.config";
import { AccountConfig, accountSection } from "./account/account.config";
import { AlertsConfig, alertsSection } from "./operations/alerts.config";
import { BudgetConfig, budgetSection } from "./operations/budget.config";
import { ConfigError, ConfigSection, KeySpec, Reader, decodeKeys, isNearMiss } from "./core/configReader";
import { ContentFiltersConfig, contentFiltersSection } from "./protection/contentFilters.config";
import { ModelDeploymentConfig, deploymentsSection } from "./deployments/deployments.config";
import { DefenderConfig, defenderSection } from "./protection/defender.config";
import { DiagnosticsConfig, diagnosticsSection } from "./operations/diagnostics.config";
import { EncryptionConfig, encryptionSection } from "./protection/encryption.config";
import { EnvironmentConfig, environmentSection } from "./environment.config";
import { GatewayConfig, gatewaySection } from "./gateway/gateway.config";
import { HubLinkConfig, hubSection } from "./network/hub.config";
import { NetworkConfig, networkSection } from "./network/network.config";
import { PrivateEndpointConfig, privateEndpointSection, usableAddresses } from "./network/privateNetwork.config";
import { OutboundConfig, outboundSection } from "./protection/outbound.config";
import { ProjectConfig, projectsSection } from "./foundry/projects.config";
import { ProtectionConfig, protectionSection } from "./protection/protection.config";
import { SecondaryRegionConfig, regionsSection } from "./regions.config";
import { ResidencyConfig, residencySection } from "./protection/residency.config";

export { ConfigError };

/** The project name in Pulumi.yaml, and so the namespace of every configuration key. */
export const ConfigNamespace = "aoai";

/** Other namespaces a stack file may set: the one provider this program uses, and Pulumi's own. */
export const OtherNamespaces = ["azure-native", "pulumi"] as const;

export interface StackConfig extends EnvironmentConfig, AccountConfig, AccessConfig, ResidencyConfig {
    /** The Pulumi stack name. */
    stack: string;
    deployments: ModelDeploymentConfig[];
    network: NetworkConfig;
    privateEndpoint?: PrivateEndpointConfig;
    /** The hub this environment joins (its DNS zones and tools network); none for a standalone one. */
    hub?: HubLinkConfig;
    diagnostics: DiagnosticsConfig;
    protection: ProtectionConfig;
    defenderForAI: DefenderConfig;
    budget?: BudgetConfig;
    alerts?: AlertsConfig;
    outbound: OutboundConfig;
    encryption?: EncryptionConfig;
    contentFilters: ContentFiltersConfig;
    /** Secondary regions; empty for one region. */
    regions: SecondaryRegionConfig[];
    gateway?: GatewayConfig;
    /** Foundry projects on the primary account (kind AIServices only); empty for none. */
    projects: ProjectConfig[];
}

/** Every section, in the order its keys are listed to a user. */
const Sections: ConfigSection<unknown, never>[] = [
    environmentSection,
    accountSection,
    deploymentsSection,
    networkSection,
    privateEndpointSection,
    hubSection,
    accessSection,
    diagnosticsSection,
    protectionSection,
    defenderSection,
    budgetSection,
    alertsSection,
    residencySection,
    outboundSection,
    encryptionSection,
    contentFiltersSection,
    regionsSection,
    gatewaySection,
    projectsSection,
];

/** Every top-level key the program accepts (without the namespace), with what Pulumi.yaml declares for it. */
export const ConfigKeys: Readonly<Record<string, KeySpec>> = Object.assign({}, ...Sections.map((s) => s.keys));

/** Published once per parse, so a test can prove a command parses a stack once (node:diagnostics_channel). */
export const ParseChannel = channel("aoai:config:parse");

/**
 * Validates a stack's configuration.
 * @param raw every key of the `aoai` namespace without the prefix, valued as Pulumi hands them over.
 * @param stack the stack name; the default environment.
 * @param today the clock, for what Azure checks against the date (a budget's start); tests fix it.
 * @throws ConfigError listing every problem.
 */
export function parseStackConfig(raw: Record<string, string>, stack: string, otherKeys: readonly string[] = [], today: Date = new Date()): StackConfig {
    ParseChannel.publish({ stack });
    const r = new Reader(`${ConfigNamespace}:`);
    refuseForeignKeys(r, otherKeys);
    const get = decodeKeys(r, raw, Object.keys(ConfigKeys));

    const environment = environmentSection.read(r, get, { stack });
    const account = accountSection.read(r, get, {});
    const deployments = deploymentsSection.read(r, get, { today });
    const privateEndpoint = privateEndpointSection.read(r, get, { kind: account?.kind });
    // A private endpoint that is present but invalid still counts: its problems are reported, and the
    // network's defaults must not add a misleading "unreachable" on top.
    const network = networkSection.read(r, get, { hasPrivateEndpoint: privateEndpoint?.privateEndpoint !== undefined || privateEndpoint === undefined });
    const hub = hubSection.read(r, get, { privateEndpoint: privateEndpoint?.privateEndpoint, privateEndpointValid: privateEndpoint !== undefined });
    const access = accessSection.read(r, get, {});
    const diagnostics = diagnosticsSection.read(r, get, {});
    const protection = protectionSection.read(r, get, { environment: environment?.environment });
    const defender = defenderSection.read(r, get, { environment: environment?.environment });
    const budget = budgetSection.read(r, get, { today });
    const alerts = alertsSection.read(r, get, {});
    const residency = residencySection.read(r, get, { location: environment?.location, deployments: deployments?.deployments });
    const outbound = outboundSection.read(r, get, { environment: environment?.environment });
    const encryption = encryptionSection.read(r, get, {});
    const contentFilters = contentFiltersSection.read(r, get, { deployments: deployments?.deployments });
    const d = diagnostics?.diagnostics;
    const regions = regionsSection.read(r, get, {
        location: environment?.location,
        deployments: deployments?.deployments,
        dataResidency: residency?.dataResidency,
        existingKey: encryption?.encryption?.kind === "existing",
        regionalDestinations: d?.enabled === true && (d.eventHub !== undefined || d.storageAccountId !== undefined),
    });
    const n = network?.network;
    const gateway = gatewaySection.read(r, get, {
        hasRegions: (regions?.regions.length ?? 0) > 0,
        deployments: deployments?.deployments ?? [],
        hasWorkspace: d === undefined || d.enabled,
        privateEndpoint: privateEndpoint?.privateEndpoint,
        // Unknown (an invalid network section) counts as open, so no second, misleading problem is added.
        accountsOpenToInternet: n === undefined || (n.publicNetworkAccess === "Enabled" && n.defaultAction === "Allow"),
    });

    const projects = projectsSection.read(r, get, { kind: account?.kind });

    checkEndpointRoom(r, privateEndpoint?.privateEndpoint, 1 + (regions?.regions.length ?? 0) + (gateway?.gateway && privateEndpoint?.privateEndpoint ? 1 : 0));

    const sections = [environment, account, deployments, privateEndpoint, network, hub, access, diagnostics, protection, defender, budget, alerts, residency, outbound, encryption, contentFilters, regions, gateway, projects];
    if (r.problems.length > 0 || sections.includes(undefined)) {
        throw new ConfigError(r.problems);
    }
    return Object.assign({ stack }, ...sections) as StackConfig;
}

/**
 * Validates everything Pulumi hands a program (every namespace, `aoai:location` and so on): the
 * project's keys as above, and a key in a namespace no one reads is refused rather than ignored.
 */
export function readStackConfig(config: Readonly<Record<string, string>>, stack: string, today: Date = new Date()): StackConfig {
    const prefix = `${ConfigNamespace}:`;
    const entries = Object.entries(config);
    const project = Object.fromEntries(entries.filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length), value]));
    return parseStackConfig(project, stack, entries.map(([key]) => key).filter((key) => !key.startsWith(prefix)), today);
}

/** Every account (and the gateway) takes an address in the endpoints' subnet: a created one must hold them all. */
function checkEndpointRoom(r: Reader, pe: PrivateEndpointConfig | undefined, endpoints: number): void {
    if (pe?.subnet.kind !== "create") return;
    const room = usableAddresses(pe.subnet.subnetAddressPrefix);
    if (endpoints > room) {
        r.report("privateEndpoint.subnetAddressPrefix", `${pe.subnet.subnetAddressPrefix} leaves ${room} addresses for private endpoints, and the stack needs ${endpoints} (one per region's account, one for the gateway); use a larger block`);
    }
}

/** A typo in a namespace (`aoia:`, `AOAI:`, `azure_native:`) would otherwise make a key silently do nothing. */
function refuseForeignKeys(r: Reader, keys: readonly string[]): void {
    const known = [ConfigNamespace, ...OtherNamespaces];
    for (const key of keys) {
        if (!key.includes(":")) {
            r.problems.push(`${key}: has no namespace; write it as ${ConfigNamespace}:${key}`);
            continue;
        }
        const namespace = key.slice(0, key.indexOf(":"));
        if ((OtherNamespaces as readonly string[]).includes(namespace)) continue;
        const near = known.find((k) => isNearMiss(namespace, k));
        const hint = near ? `; did you mean ${near}:${key.slice(namespace.length + 1)}?` : ".";
        r.problems.push(`${key}: unknown namespace "${namespace}"${hint} Keys belong to ${known.map((k) => `${k}:`).join(", ")}`);
    }
}
