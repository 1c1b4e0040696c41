/**
 * Entry point of the hub program (hub/Pulumi.yaml runs this): read the stack configuration once,
 * validate it, declare the shared DNS zones and the tools network.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../core/configReader";
import { declareHub } from "./hub";
import { HubConfig, readHubConfig } from "./hub.config";

function loadHubConfig(): HubConfig {
    try {
        return readHubConfig(pulumi.runtime.allConfig(), pulumi.getStack());
    } catch (err) {
        throw err instanceof ConfigError ? new pulumi.RunError(err.message) : err;
    }
}

export = declareHub(loadHubConfig());
