/**
 * Reading what a stack declares, for the reachability paths: resources by type token and their
 * properties, as the offline plan's inputs or the policy pack's view present them.
 */
import { vnetIdOfSubnet } from "../core/naming";

/** A declared resource: its type token and its properties (plan inputs, or what the pack sees). */
export interface DeclaredResource {
    type: string;
    props: Record<string, unknown>;
}

export type PathState = "open" | "closed" | "outside";

export interface ReachPath {
    /** `internet`, `network <vnet>`, `gateway <service>` or `account <account>`. */
    from: string;
    /** `account <name>`, `gateway <name>`, `key vault <name>`, or a diagnostics destination. */
    to: string;
    state: PathState;
    /** How the traffic goes, or why it cannot. */
    how: string;
    /** For an open path from the internet: true when any public address gets through. */
    anyAddress?: boolean;
}

export const T = {
    account: "azure-native:cognitiveservices:Account",
    privateEndpoint: "azure-native:network:PrivateEndpoint",
    zoneGroup: "azure-native:network:PrivateDnsZoneGroup",
    zone: "azure-native:privatedns:PrivateZone",
    zoneLink: "azure-native:privatedns:VirtualNetworkLink",
    gateway: "azure-native:apimanagement:ApiManagementService",
    backend: "azure-native:apimanagement:Backend",
    vault: "azure-native:keyvault:Vault",
    diagnostics: "azure-native:monitor:DiagnosticSetting",
    peering: "azure-native:network:VirtualNetworkPeering",
};

export type Props = Record<string, unknown>;

export function str(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

export function obj(value: unknown): Props {
    return typeof value === "object" && value !== null ? (value as Props) : {};
}

export function list(value: unknown): Props[] {
    return Array.isArray(value) ? value.map(obj) : [];
}

export const lower = (s: string | undefined) => (s ?? "").toLowerCase();

/** The host of a URL, or undefined for text that is not one (a path is then outside what the stack shows). */
export function hostOf(url: string | undefined): string | undefined {
    try {
        return url === undefined ? undefined : new URL(url).hostname.toLowerCase();
    } catch {
        return undefined;
    }
}
export const lastSegment = (id: string | undefined) => id?.split("/").pop();

/** A resource's Azure name: its name input in a plan or preview, `name` in an update's outputs. */
export function nameOf(r: DeclaredResource, input: string): string {
    return str(r.props[input]) ?? str(r.props.name) ?? "";
}

/** The network a private endpoint sits in, by its subnet's id. */
export function vnetOf(pe: DeclaredResource): string | undefined {
    const subnet = str(obj(pe.props.subnet).id);
    return subnet ? vnetIdOfSubnet(subnet) : undefined;
}

export function connectsTo(pe: DeclaredResource, suffix: string, group: string): boolean {
    return list(pe.props.privateLinkServiceConnections).some(
        (c) => lower(str(c.privateLinkServiceId)).endsWith(suffix.toLowerCase()) && (Array.isArray(c.groupIds) ? c.groupIds : []).includes(group),
    );
}

