/** The reachability guardrail: every gateway reaches its accounts, and the internet reaches only what the stack opened. */
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { GatewayBootstrapTag, GatewayBootstrapValue } from "../infra/gateway/gatewayAccess";
import { reachability } from "../infra/network/reachability";
import { RequiredSwitch, isRequired } from "./accounts";

/**
 * A gateway that Azure has not yet let the stack close: public only until its private endpoint is
 * approved, as the program marks it (docs/deploy-hazards.md, H2). Nothing else may be public.
 */
export function isBootstrappingGateway(service: PolicyResource): boolean {
    return service.props.tags?.[GatewayBootstrapTag] === GatewayBootstrapValue;
}

export const reachable: StackValidationPolicy = {
    name: "openai-reachability",
    description:
        "Pitfall: a deployment that succeeds but cannot carry a call (a gateway with no network path to its private accounts), or an endpoint the internet reaches by accident. Where the stack's policy config sets required (prod), every gateway backend is reachable by the gateway, and no account or gateway answers any public address (listed ipRules are the stack's own choice).",
    enforcementLevel: "advisory",
    configSchema: RequiredSwitch,
    validateStack: (args, reportViolation) => {
        if (!isRequired(args)) return;
        const bootstrapping = new Set(
            args.resources.filter((r) => r.isType(apimanagement.ApiManagementService) && isBootstrappingGateway(r)).map((r) => `gateway ${r.props.serviceName ?? r.props.name}`),
        );
        for (const p of reachability(args.resources.map((r) => ({ type: r.type, props: r.props })))) {
            if (p.from.startsWith("gateway ") && p.to.startsWith("account ") && p.state === "closed") {
                reportViolation(`${p.from} cannot reach ${p.to}: ${p.how}. Give the gateway a subnet in the accounts' private network (aoai:gateway.subnetAddressPrefix or subnetId).`);
            }
            if (p.from === "internet" && p.state === "open" && p.anyAddress && !bootstrapping.has(p.to)) {
                reportViolation(`The internet reaches ${p.to} from any address (${p.how}); close it (aoai:network, aoai:gateway.publicNetworkAccess) or list the callers' addresses (aoai:network.ipRules).`);
            }
        }
    },
};
