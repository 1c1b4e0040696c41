/**
 * What the policies share: finding accounts, their deployments and private endpoints in a stack, and
 * the `required` switch a stack's policy config uses to turn a policy on.
 */
import * as cognitiveservices from "@pulumi/azure-native/cognitiveservices";
import * as network from "@pulumi/azure-native/network";
import { PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";

/** An account's Azure name, from inputs (preview, offline plan) or outputs (update), else its logical name. */
export function accountNameOf(account: PolicyResource): string {
    return account.props.accountName ?? account.props.name ?? account.name;
}

/** True when an ARM id points at the account of that name (compared case-insensitively, as ARM does). */
export function pointsAtAccount(id: unknown, accountName: string): boolean {
    return typeof id === "string" && id.toLowerCase().endsWith(`/providers/microsoft.cognitiveservices/accounts/${accountName.toLowerCase()}`);
}

export function accounts(resources: PolicyResource[]): PolicyResource[] {
    return resources.filter((r) => r.isType(cognitiveservices.Account));
}

/** True when a private endpoint in the stack connects to the account, through group id 'account' when asked. */
export function hasPrivateEndpoint(resources: PolicyResource[], accountName: string, requireAccountGroup: boolean): boolean {
    return resources
        .filter((r) => r.isType(network.PrivateEndpoint))
        .some((pe) =>
            (pe.props.privateLinkServiceConnections ?? []).some(
                (c: any) => pointsAtAccount(c.privateLinkServiceId, accountName) && (!requireAccountGroup || (c.groupIds ?? []).includes("account")),
            ),
        );
}

/** The deployments of the account of that name. */
export function deploymentsOf(resources: PolicyResource[], accountName: string): PolicyResource[] {
    return resources.filter((r) => r.isType(cognitiveservices.Deployment) && String(r.props.accountName) === accountName);
}

/** The setting a stack's policy config uses to make a policy apply (prod, staging); off elsewhere. */
export const RequiredSwitch = { properties: { required: { type: "boolean", default: false } } } as const;
export const isRequired = (args: StackValidationArgs | ResourceValidationArgs) => args.getConfig<{ required: boolean }>().required;
