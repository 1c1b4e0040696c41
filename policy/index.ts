/**
 * The CrossGuard policy pack, loaded by the Pulumi CLI:
 *   pulumi preview --policy-pack policy --policy-pack-config policy/config/<stack>.json
 * Constructing a PolicyPack starts its gRPC server, so tests import ./policies instead.
 */
import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./policies";

new PolicyPack("aoai-guardrails", { policies: allPolicies, enforcementLevel: "advisory" });
