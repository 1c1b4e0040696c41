/**
 * The Microsoft cloud security benchmark's built-in policies that a review of prod's plan found
 * non-compliant (2026-12-07), each read from the plan as Azure would read the resources: held, open
 * (not held here), or exempt with the reason compliance costs more than it protects or breaks what the
 * stack needs. Azure's own evaluation runs after `pulumi up` (Defender for Cloud, regulatory
 * compliance); this ledger is what a reviewer can check before it.
 */
import { GatewayBootstrapTag, GatewayBootstrapValue } from "../infra/gateway/gatewayAccess";
import { DeclaredResource } from "../infra/network/declared";

export type ControlState = "held" | "open" | "exempt" | "not applicable";

export interface ControlResult {
    /** What the built-in policy asks, in our words. */
    control: string;
    state: ControlState;
    /** Why it is held, what is missing, or the exemption's reason. */
    why: string;
}

interface Control {
    control: string;
    /** Every resource the control reads; none means not applicable. */
    applies: (r: DeclaredResource) => boolean;
    /** Undefined when this resource holds it, else what is missing. */
    holds?: (r: DeclaredResource, all: DeclaredResource[]) => string | undefined;
    /** Why the stack does not hold it, where it deliberately does not. */
    exemption?: string;
}

const T = {
    vault: "azure-native:keyvault:Vault",
    workspace: "azure-native:operationalinsights:Workspace",
    gateway: "azure-native:apimanagement:ApiManagementService",
    subnet: "azure-native:network:Subnet",
    vnet: "azure-native:network:VirtualNetwork",
    nsg: "azure-native:network:NetworkSecurityGroup",
    insights: "azure-native:applicationinsights:Component",
    diagnostics: "azure-native:monitor:DiagnosticSetting",
    policy: "azure-native:apimanagement:ApiPolicy",
} as const;

const name = (r: DeclaredResource, input: string) => String(r.props[input] ?? "?");
/** The resource's Azure name, whichever input carries it. */
const label = (r: DeclaredResource) =>
    String(["vaultName", "workspaceName", "serviceName", "subnetName", "networkSecurityGroupName", "virtualNetworkName", "resourceName", "policyId"].map((k) => r.props[k]).find((v) => v !== undefined) ?? r.type);
const delegated = (r: DeclaredResource) => Array.isArray(r.props.delegations) && r.props.delegations.length > 0;

/** A diagnostic setting that sends the resource's logs somewhere. */
function logsOf(resourceSuffix: string, all: DeclaredResource[]): string | undefined {
    const setting = all.find((d) => d.type === T.diagnostics && String(d.props.resourceUri ?? "").toLowerCase().endsWith(resourceSuffix.toLowerCase()) && Array.isArray(d.props.logs) && d.props.logs.length > 0);
    return setting ? undefined : "no diagnostic setting sends its logs";
}

export const Controls: readonly Control[] = [
    {
        control: "Key Vault: resource logs enabled",
        applies: (r) => r.type === T.vault,
        holds: (r, all) => logsOf(`/vaults/${name(r, "vaultName")}`, all),
    },
    {
        control: "Key Vault: public network access disabled",
        applies: (r) => r.type === T.vault,
        exemption:
            "the account reads its key, and pulumi up writes it through ARM, as trusted Azure services through the vault's firewall (every network denied, bypass AzureServices); Key Vault turns that path off with public access, and no private endpoint carries a service's own key reads",
    },
    {
        control: "Key Vault: private link",
        applies: (r) => r.type === T.vault,
        exemption: "nothing calls the vault's data plane from a network (see public network access): a private endpoint would serve no caller and add a zone record per vault",
    },
    {
        control: "Log Analytics: Entra ID only (local auth off)",
        applies: (r) => r.type === T.workspace,
        holds: (r) => ((r.props.features as { disableLocalAuth?: unknown } | undefined)?.disableLocalAuth === true ? undefined : "features.disableLocalAuth is not true"),
    },
    {
        control: "Log Analytics: ingestion and query closed to public networks",
        applies: (r) => r.type === T.workspace,
        exemption:
            "resource logs take Azure Monitor's platform path, which public network settings do not affect; closing query needs an Azure Monitor Private Link Scope in the hub with its own DNS zones, which the hub does not hold yet",
    },
    {
        control: "Application Insights: Entra ID only (local auth off)",
        applies: (r) => r.type === T.insights,
        holds: (r) => (r.props.disableLocalAuth === true ? undefined : "disableLocalAuth is not true"),
    },
    {
        control: "API Management: resource logs enabled",
        applies: (r) => r.type === T.gateway,
        holds: (r, all) => logsOf(`/service/${name(r, "serviceName")}`, all),
    },
    {
        control: "API Management: public network access disabled",
        applies: (r) => r.type === T.gateway,
        // A first run leaves it public until its private endpoint is approved, marked so (gatewayAccess.ts).
        holds: (r) =>
            r.props.publicNetworkAccess === "Disabled" || (r.props.tags as Record<string, unknown> | undefined)?.[GatewayBootstrapTag] === GatewayBootstrapValue
                ? undefined
                : `publicNetworkAccess is ${String(r.props.publicNetworkAccess ?? "Enabled")}`,
    },
    {
        control: "API Management: backends with credentials",
        applies: (r) => r.type === T.policy,
        holds: (r) => (/<authentication-managed-identity /.test(String(r.props.value ?? "")) ? undefined : "the API's policy does not authenticate its calls to the backends"),
    },
    {
        control: "API Management: the policy's backend section inherits the parent scope",
        applies: (r) => r.type === T.policy,
        exemption: "the backend section is the retry loop around forward-request that moves a throttled call to the next region; inheriting (base) would add the global forward-request, a second call",
    },
    {
        control: "Subnets: no default outbound access",
        applies: (r) => r.type === T.subnet && !delegated(r),
        holds: (r) => (r.props.defaultOutboundAccess === false ? undefined : "defaultOutboundAccess is not false"),
    },
    {
        control: "The gateway's delegated subnet: no default outbound access",
        applies: (r) => r.type === T.subnet && delegated(r),
        exemption:
            "the gateway's outbound integration sends its calls from this subnet; Microsoft lists no outbound dependencies for v2 tiers (Entra ID metadata for token validation, Application Insights), and without default outbound access and no NAT gateway on the subnet they could stop",
    },
    {
        control: "Network security groups: flow logs",
        applies: (r) => r.type === T.nsg,
        exemption:
            "Azure no longer creates NSG flow logs (retired for new ones in June 2025, replaced by virtual network flow logs); those need Network Watcher and a storage account per region, which a landing zone deploys once for every network with Azure Policy",
    },
    {
        control: "Virtual networks: DDoS Network Protection",
        applies: (r) => r.type === T.vnet,
        exemption: "a DDoS protection plan costs about USD 2,944 a month, and no caller reaches the stack over a public address: callers come through private endpoints, and a NAT gateway's address takes no inbound connection",
    },
];

/** Every control against the plan's resources, in the ledger's order. */
export function benchmarkLedger(resources: DeclaredResource[]): ControlResult[] {
    return Controls.map((c) => {
        const targets = resources.filter(c.applies);
        if (targets.length === 0) return { control: c.control, state: "not applicable", why: "nothing in the stack it applies to" };
        if (c.exemption) return { control: c.control, state: "exempt", why: c.exemption };
        const problems = targets.flatMap((r) => {
            const problem = c.holds!(r, resources);
            return problem ? [`${label(r)}: ${problem}`] : [];
        });
        return problems.length
            ? { control: c.control, state: "open", why: problems.join("; ") }
            : { control: c.control, state: "held", why: `${targets.length} resource(s) hold it` };
    });
}
