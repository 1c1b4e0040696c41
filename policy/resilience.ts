/** The resilience guardrail: a second region that really mirrors the first, behind a private gateway. */
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import * as network from "@pulumi/azure-native/network";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { RequiredSwitch, accountNameOf, accounts, deploymentsOf, isRequired } from "./accounts";
import { isBootstrappingGateway } from "./reachability";

/** True when a private endpoint in the stack connects to the API Management service of that name. */
function hasGatewayEndpoint(resources: PolicyResource[], serviceName: string): boolean {
    return resources
        .filter((r) => r.isType(network.PrivateEndpoint))
        .some((pe) =>
            (pe.props.privateLinkServiceConnections ?? []).some(
                (c: { privateLinkServiceId?: unknown; groupIds?: string[] }) =>
                    typeof c.privateLinkServiceId === "string" &&
                    c.privateLinkServiceId.toLowerCase().endsWith(`/providers/microsoft.apimanagement/service/${serviceName.toLowerCase()}`) &&
                    (c.groupIds ?? []).includes("Gateway"),
            ),
        );
}

export const resilience: StackValidationPolicy = {
    name: "openai-resilience",
    description:
        "Pitfall: a failover region that lacks a deployment, or a gateway anyone on the internet can reach. Where the stack's policy config sets required (prod), every deployment exists in at least two regions when the stack has more than one account, and every API Management gateway has a private endpoint and public network access disabled (or is in its first deploy, public until that endpoint is approved, as the program marks it).",
    enforcementLevel: "advisory",
    configSchema: RequiredSwitch,
    validateStack: (args, reportViolation) => {
        if (!isRequired(args)) return;
        const all = accounts(args.resources);
        if (all.length > 1) {
            const regionsOf = new Map<string, Set<string>>();
            for (const account of all) {
                for (const d of deploymentsOf(args.resources, accountNameOf(account))) {
                    const name = String(d.props.deploymentName);
                    regionsOf.set(name, (regionsOf.get(name) ?? new Set()).add(String(account.props.location)));
                }
            }
            for (const [name, locations] of regionsOf) {
                if (locations.size < 2) reportViolation(`Deployment ${name} exists only in ${[...locations].join(", ")}; a failover region needs every deployment (aoai:regions).`);
            }
        }
        for (const service of args.resources.filter((r) => r.isType(apimanagement.ApiManagementService))) {
            const name = String(service.props.serviceName ?? service.name);
            // Azure creates the service public and lets it be closed once its endpoint is approved: the
            // program marks that first run, and the next `pulumi up` closes it (docs/deploy-hazards.md).
            const closedOrClosing = service.props.publicNetworkAccess === "Disabled" || isBootstrappingGateway(service);
            if (!closedOrClosing || !hasGatewayEndpoint(args.resources, name)) {
                reportViolation(`Gateway ${name} must be private: a private endpoint (aoai:privateEndpoint) and publicNetworkAccess Disabled (aoai:gateway.publicNetworkAccess).`, service.urn);
            }
        }
    },
};
