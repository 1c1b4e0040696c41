/**
 * The Azure OpenAI operations the gateway routes, on the account's own paths under `/openai` (a client
 * changes only the host): the dated APIs, which name the deployment in the path and need an
 * api-version, the dated Responses API, and the v1 API, which names the deployment in the body's
 * `model` and takes no api-version (Learn, "Azure OpenAI API version lifecycle"). One policy covers
 * them all, so every path gets the same authentication, team limits and metrics.
 */
export interface GatewayOperation {
    id: string;
    displayName: string;
    method: "GET" | "POST";
    /** Relative to the API's path (`openai`). */
    urlTemplate: string;
    /** True for the dated APIs, which require `?api-version=`. */
    apiVersion: boolean;
}

export const GatewayOperations: readonly GatewayOperation[] = [
    { id: "chat-completions", displayName: "Chat completions", method: "POST", urlTemplate: "/deployments/{deployment-id}/chat/completions", apiVersion: true },
    { id: "embeddings", displayName: "Embeddings", method: "POST", urlTemplate: "/deployments/{deployment-id}/embeddings", apiVersion: true },
    { id: "responses", displayName: "Responses", method: "POST", urlTemplate: "/responses", apiVersion: true },
    { id: "v1-chat-completions", displayName: "Chat completions (v1)", method: "POST", urlTemplate: "/v1/chat/completions", apiVersion: false },
    { id: "v1-responses", displayName: "Responses (v1)", method: "POST", urlTemplate: "/v1/responses", apiVersion: false },
    { id: "v1-embeddings", displayName: "Embeddings (v1)", method: "POST", urlTemplate: "/v1/embeddings", apiVersion: false },
    { id: "v1-models", displayName: "Models (v1)", method: "GET", urlTemplate: "/v1/models", apiVersion: false },
];
