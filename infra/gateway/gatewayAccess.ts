/**
 * How a private gateway gets private without a stack edit. Azure refuses to create API Management
 * with public network access disabled, and refuses to disable it before a private endpoint to the
 * service is approved (azure-rest-api-specs#24947). So the program reads the live service: until its
 * gateway private endpoint is approved it declares the service public and says so (an output and a
 * tag the policy pack recognises); once approved, it declares what the stack asks. The deploy workflow
 * runs `pulumi up` again while the output says the gateway is pending. docs/deploy-hazards.md (H2).
 */
import * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import { isNotFound } from "../core/liveRead";

/** The tag on a gateway that is public only until its private endpoint is approved; the pack accepts nothing else. */
export const GatewayBootstrapTag = "aoai-gateway-bootstrap";
export const GatewayBootstrapValue = "public-until-private-endpoint-approved";

/** What the program needs to know of the service as it is in Azure. */
export interface LiveGateway {
    exists: boolean;
    /** Its current publicNetworkAccess, when it exists. */
    publicNetworkAccess?: string;
    /** True when a private endpoint connection to its `Gateway` group is Approved. */
    approvedPrivateEndpoint: boolean;
}

export const AbsentGateway: LiveGateway = { exists: false, approvedPrivateEndpoint: false };

/** Whether the gateway answers the public side, and whether that is only until its private endpoint is approved. */
export interface GatewayAccess {
    publicNetworkAccess: "Enabled" | "Disabled";
    pending: boolean;
}

/** What to declare: the stack's wish, unless Azure would refuse it yet. */
export function gatewayPublicAccess(desired: "Enabled" | "Disabled", live: LiveGateway): GatewayAccess {
    if (desired === "Enabled") return { publicNetworkAccess: "Enabled", pending: false };
    // Once closed it stays closed: never reopen a gateway because a read looked odd.
    if (live.publicNetworkAccess === "Disabled" || live.approvedPrivateEndpoint) return { publicNetworkAccess: "Disabled", pending: false };
    return { publicNetworkAccess: "Enabled", pending: true };
}

interface ServiceView {
    publicNetworkAccess?: string;
    privateEndpointConnections?: { groupIds?: string[]; privateLinkServiceConnectionState?: { status?: string } }[];
}

/** Reads the service (by name, in the stack's resource group) as Azure has it now. */
function readLiveGateway(resourceGroupName: string, serviceName: pulumi.Input<string>): pulumi.Output<LiveGateway> {
    return pulumi.output(serviceName).apply(async (name) => {
        try {
            const service = (await apimanagement.getApiManagementService({ resourceGroupName, serviceName: name })) as ServiceView;
            return {
                exists: true,
                ...(service.publicNetworkAccess ? { publicNetworkAccess: service.publicNetworkAccess } : {}),
                approvedPrivateEndpoint: (service.privateEndpointConnections ?? []).some((c) => c.privateLinkServiceConnectionState?.status === "Approved"),
            };
        } catch (err) {
            if (isNotFound(err)) return AbsentGateway;
            throw err;
        }
    });
}

/** The service as Azure has it now (`readLiveGateway`), and so what the program may declare (`gatewayPublicAccess`). */
export function gatewayAccessNow(desired: "Enabled" | "Disabled", resourceGroupName: string, serviceName: pulumi.Input<string>): pulumi.Output<GatewayAccess> {
    return readLiveGateway(resourceGroupName, serviceName).apply((live) => gatewayPublicAccess(desired, live));
}
