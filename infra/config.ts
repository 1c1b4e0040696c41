/**
 * The stack configuration, composed from one section per concern (`*.config.ts`). It is read,
 * decoded and validated once per process and then flows one way, as one typed object, into the
 * components. Validation collects every problem before anything is registered, and each problem
 * names the key, the bad value and what is allowed.
 *
 * A new capability adds its section to `Sections` and one line to `parseStackConfig`.
 */
import { channel } from "node:diagnostics_channel";
import { AccessConfig, accessSection } from "./access.config";
import { AccountConfig, accountSection } from "./account.config";
import { ConfigError, ConfigSection, KeySpec, Reader, decodeKeys } from "./configReader";
import { ModelDeploymentConfig, deploymentsSection } from "./deployments.config";
import { DiagnosticsConfig, diagnosticsSection } from "./diagnostics.config";
import { EnvironmentConfig, environmentSection } from "./environment.config";
import { NetworkConfig, networkSection } from "./network.config";
import { PrivateEndpointConfig, privateEndpointSection } from "./privateNetwork.config";
import { ProtectionConfig, protectionSection } from "./protection.config";

export { ConfigError };

/** The project name in Pulumi.yaml, and so the namespace of every configuration key. */
export const ConfigNamespace = "aoai";

export interface StackConfig extends EnvironmentConfig, AccountConfig, AccessConfig {
    /** The Pulumi stack name. */
    stack: string;
    deployments: ModelDeploymentConfig[];
    network: NetworkConfig;
    privateEndpoint?: PrivateEndpointConfig;
    diagnostics: DiagnosticsConfig;
    protection: ProtectionConfig;
}

/** Every section, in the order its keys are listed to a user. */
const Sections: ConfigSection<unknown, never>[] = [
    environmentSection,
    accountSection,
    deploymentsSection,
    networkSection,
    privateEndpointSection,
    accessSection,
    diagnosticsSection,
    protectionSection,
];

/** Every top-level key the program accepts (without the namespace), with what Pulumi.yaml declares for it. */
export const ConfigKeys: Readonly<Record<string, KeySpec>> = Object.assign({}, ...Sections.map((s) => s.keys));

/** Published once per parse, so a test can prove a command parses a stack once (node:diagnostics_channel). */
export const ParseChannel = channel("aoai:config:parse");

/**
 * Validates a stack's configuration.
 * @param raw every key of the `aoai` namespace without the prefix, valued as Pulumi hands them over.
 * @param stack the stack name; the default environment.
 * @throws ConfigError listing every problem.
 */
export function parseStackConfig(raw: Record<string, string>, stack: string): StackConfig {
    ParseChannel.publish({ stack });
    const r = new Reader(`${ConfigNamespace}:`);
    const get = decodeKeys(r, raw, Object.keys(ConfigKeys));

    const environment = environmentSection.read(r, get, { stack });
    const account = accountSection.read(r, get, {});
    const deployments = deploymentsSection.read(r, get, {});
    const privateEndpoint = privateEndpointSection.read(r, get, {});
    // A private endpoint that is present but invalid still counts: its problems are reported, and the
    // network's defaults must not add a misleading "unreachable" on top.
    const network = networkSection.read(r, get, { hasPrivateEndpoint: privateEndpoint?.privateEndpoint !== undefined || privateEndpoint === undefined });
    const access = accessSection.read(r, get, {});
    const diagnostics = diagnosticsSection.read(r, get, {});
    const protection = protectionSection.read(r, get, { environment: environment?.environment });

    if (r.problems.length > 0 || !environment || !account || !deployments || !privateEndpoint || !network || !access || !diagnostics || !protection) {
        throw new ConfigError(r.problems);
    }
    return { stack, ...environment, ...account, ...deployments, ...network, ...privateEndpoint, ...access, ...diagnostics, ...protection };
}

/** The keys of the project namespace without their prefix, from everything Pulumi hands a program. */
export function projectKeys(config: Readonly<Record<string, string>>): Record<string, string> {
    const prefix = `${ConfigNamespace}:`;
    return Object.fromEntries(
        Object.entries(config)
            .filter(([key]) => key.startsWith(prefix))
            .map(([key, value]) => [key.slice(prefix.length), value]),
    );
}
