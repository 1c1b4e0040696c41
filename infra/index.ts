/**
 * Entry point of the Pulumi program: read the stack configuration once, validate it, declare the
 * platform. Validation runs before any resource is registered, so a bad stack file changes nothing.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, ConfigNamespace, StackConfig, parseStackConfig } from "./config";
import { createPlatform } from "./platform";

function loadStackConfig(): StackConfig {
    const prefix = `${ConfigNamespace}:`;
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(prefix)) {
            raw[key.slice(prefix.length)] = value;
        }
    }
    try {
        return parseStackConfig(raw, pulumi.getStack());
    } catch (err) {
        // RunError prints the message alone, without a stack trace that would bury the problems.
        throw err instanceof ConfigError ? new pulumi.RunError(err.message) : err;
    }
}

export = createPlatform(loadStackConfig());
