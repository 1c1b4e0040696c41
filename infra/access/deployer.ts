/**
 * The kind of identity running `pulumi up`, for the role assignments it grants itself. azure-native
 * sends `principalType: User` when none is given, and Azure refuses a type that does not match the
 * principal (UnmatchedPrincipalType), so a stack deployed from a laptop and from the deploy workflow
 * needs the type of whoever runs it. With `deployerPrincipalType: Auto` it is read from the identity's
 * own ARM token: a delegated (user) token carries the `scp` claim, an app-only token (a service
 * principal or managed identity) does not. Only the claims are read; the token goes nowhere.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import type { DeployerPrincipalType } from "./access.config";

export type ResolvedPrincipalType = Exclude<DeployerPrincipalType, "Auto">;

/** User or ServicePrincipal from an access token's claims; an unreadable token is an error that names the fix. */
export function principalTypeFromToken(token: string): ResolvedPrincipalType {
    let claims: Record<string, unknown>;
    try {
        claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
    } catch {
        claims = {};
    }
    if (typeof claims !== "object" || claims === null || (claims.scp === undefined && claims.idtyp === undefined && claims.appid === undefined && claims.azp === undefined)) {
        throw new Error("could not tell from the login's token whether a user or a service principal runs pulumi up; set aoai:deployerPrincipalType to User or ServicePrincipal");
    }
    return typeof claims.scp === "string" || claims.idtyp === "user" ? "User" : "ServicePrincipal";
}

/** The stack's choice, or for `Auto` the kind of the identity running `pulumi up`. */
export function deployerPrincipalType(choice: DeployerPrincipalType): pulumi.Output<ResolvedPrincipalType> {
    if (choice !== "Auto") return pulumi.output(choice);
    return authorization.getClientTokenOutput().token.apply(principalTypeFromToken);
}
