/**
 * Entry point of the Pulumi program (the CLI runs this): read the stack configuration once, validate
 * it, check what Azure already has, declare the platform. Validation and the checks run before any
 * resource is registered, so a bad stack file, or one that would roll back Microsoft's upgrade of an
 * account, changes nothing.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, StackConfig, readStackConfig } from "./config";
import { deployPlatform } from "./platform";

function loadStackConfig(): StackConfig {
    try {
        return readStackConfig(pulumi.runtime.allConfig(), pulumi.getStack());
    } catch (err) {
        // RunError prints the message alone, without a stack trace that would bury the problems.
        throw err instanceof ConfigError ? new pulumi.RunError(err.message) : err;
    }
}

export = deployPlatform(loadStackConfig());
