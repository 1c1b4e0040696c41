/**
 * The Foundry guardrail: a project is a place application teams run agents and keep files and
 * connections, so it acts only through its own managed identity, sits only where Azure can hold it
 * (a kind-AIServices account with project management), and in prod never on an account that answers
 * the internet.
 */
import * as cognitiveservices from "@pulumi/azure-native/cognitiveservices";
import { StackValidationPolicy } from "@pulumi/policy";
import { RequiredSwitch, accountNameOf, accounts, isRequired } from "./accounts";

export const foundryProjects: StackValidationPolicy = {
    name: "foundry-projects",
    description:
        "Pitfall: a Foundry project that acts with keys instead of its own identity, sits on an account that cannot hold it, or opens a team's agents and files to the internet. Every project has a system- or user-assigned managed identity and belongs to a kind-AIServices account with allowProjectManagement; where the stack's policy config sets required (prod, staging), no project is on an account whose publicNetworkAccess is not Disabled.",
    enforcementLevel: "advisory",
    configSchema: RequiredSwitch,
    validateStack: (args, reportViolation) => {
        const all = accounts(args.resources);
        for (const project of args.resources.filter((r) => r.isType(cognitiveservices.Project))) {
            const name = String(project.props.projectName ?? project.name);
            const type = String(project.props.identity?.type ?? "None");
            if (!/SystemAssigned|UserAssigned/.test(type)) {
                reportViolation(`Project ${name} has identity type "${type}"; a project acts through its own managed identity (SystemAssigned or UserAssigned), never keys.`, project.urn);
            }
            const account = all.find((a) => accountNameOf(a) === String(project.props.accountName));
            if (!account) continue; // An account outside the stack: Azure itself refuses a project it cannot hold.
            if (account.props.kind !== "AIServices" || account.props.properties?.allowProjectManagement !== true) {
                reportViolation(`Project ${name} is on account ${accountNameOf(account)}, which is not a kind-AIServices account with allowProjectManagement: true (aoai:kind: AIServices).`, project.urn);
            }
            if (isRequired(args) && account.props.properties?.publicNetworkAccess !== "Disabled") {
                reportViolation(`Project ${name} is on account ${accountNameOf(account)}, which answers its public endpoint; in this stack projects live only on private accounts (network.publicNetworkAccess: Disabled).`, project.urn);
            }
        }
    },
};
