/**
 * The values of an offline plan that stand in for what only Azure knows (ids assigned at creation, the
 * stand-in subscription, names derived from it), each with why, for the readable plan to mark.
 */
import type { StackConfig } from "../../infra/config";
import { MockClient, MockCreated } from "./azureMocks";
import type { Placeholder, Plan } from "./planModel";

/** The stand-ins of a hub's offline plan. */
export function hubPlaceholders(subscriptionId: string = MockClient.subscriptionId): Placeholder[] {
    return [
        { value: MockCreated.publicIpAddress, why: "the NAT gateway's address Azure assigns, known after pulumi up" },
        ...(subscriptionId === MockClient.subscriptionId ? [{ value: subscriptionId, why: "stand-in subscription; render with --subscription-id <guid>" }] : []),
    ];
}

/** The values of an offline plan that are stand-ins, for the readable plan to mark. */
export function placeholdersOf(plan: Plan, config: StackConfig, subscriptionId: string = MockClient.subscriptionId): Placeholder[] {
    const list: Placeholder[] = [
        { value: MockClient.objectId, why: "the identity that runs pulumi up" },
        { value: MockCreated.identityPrincipalId, why: "the user-assigned identity's principal id, known after pulumi up" },
        { value: MockCreated.identityClientId, why: "the user-assigned identity's client id, known after pulumi up" },
        { value: MockCreated.keyVersion, why: "the key version Key Vault assigns, known after pulumi up" },
        { value: MockCreated.gatewayPrincipalId, why: "the gateway's managed identity, known after pulumi up" },
    ];
    for (const project of config.projects) {
        list.push({ value: MockCreated.projectPrincipalId(project.name), why: `project ${project.name}'s own identity, known after pulumi up` });
    }
    if (config.budget && !config.budget.startDateFromStack) {
        list.push({ value: `${config.budget.startDate}T00:00:00Z`, why: "the first of the month of the pulumi up that creates the budget; Azure keeps that start afterwards" });
    }
    if (subscriptionId === MockClient.subscriptionId) {
        list.push({ value: subscriptionId, why: "stand-in subscription; render with --subscription-id <guid>" });
        const derived = "derived from the stand-in subscription; render with --subscription-id <guid>";
        const hostOf = (url: unknown) => (typeof url === "string" ? new URL(url).hostname.split(".")[0] : undefined);
        // Subdomains (unless the stack names them), the gateway's and the vaults' names hash the subscription.
        const regions = Array.isArray(plan.outputs.regions) ? (plan.outputs.regions as { endpoint?: unknown }[]) : [];
        const subdomains = config.customSubdomain ? [] : [plan.outputs.customSubdomain, ...regions.slice(1).map((r) => hostOf(r.endpoint))];
        const vaults = plan.resources.filter((r) => r.type === "azure-native:keyvault:Vault").map((r) => r.inputs.vaultName);
        for (const value of [...subdomains, hostOf(plan.outputs.gatewayEndpoint), ...vaults]) {
            if (typeof value === "string") list.push({ value, why: derived });
        }
    }
    return list;
}
