/**
 * Entry point of the Pulumi program (the CLI runs this): read the stack configuration once, validate
 * it, declare the platform. Validation runs before any resource is registered, so a bad stack file
 * changes nothing.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, StackConfig, readStackConfig } from "./config";
import { createPlatform } from "./platform";

function loadStackConfig(): StackConfig {
    try {
        return readStackConfig(pulumi.runtime.allConfig(), pulumi.getStack());
    } catch (err) {
        // RunError prints the message alone, without a stack trace that would bury the problems.
        throw err instanceof ConfigError ? new pulumi.RunError(err.message) : err;
    }
}

export = createPlatform(loadStackConfig());
