using System.Text.Json;

namespace AzureOpenAi.Probe;

/// <summary>The last stage: a final answer becomes the deployment's report, with the evidence and the hint.</summary>
internal static class Conclusion
{
    public static DeploymentReport From(string deployment, ProbeApi api, HttpAnswer answer, AuthMode auth, TokenIdentity? identity)
    {
        string? servedModel = null;
        var diagnosis = answer.Status == 200
            ? ReadCompletion(answer.Body, api, out servedModel)
            : WithIdentity(Classifier.Classify(answer.Status, answer.Error, auth), identity);
        return new DeploymentReport
        {
            Name = deployment,
            Api = api,
            Verdict = diagnosis.Verdict,
            Hint = diagnosis.Hint,
            Status = answer.Status,
            ErrorCode = answer.Status == 200 ? null : answer.Error.Code,
            ErrorMessage = answer.Status == 200 ? null : answer.Error.Message,
            ApimRequestId = answer.Header("apim-request-id"),
            RequestId = answer.Header("x-request-id"),
            ServedModel = answer.Status == 200 ? servedModel : null,
            Region = answer.Header("x-ms-region"),
            ServedBy = answer.Header("x-ms-deployment-name"),
            SpilledOverFrom = answer.Header("x-ms-spillover-from-deployment") is { } from
                ? (answer.Header("x-ms-spillover-error") is { } why ? $"{from} ({why})" : from)
                : null,
            RemainingRequests = answer.Header("x-ratelimit-remaining-requests"),
            RemainingTokens = answer.Header("x-ratelimit-remaining-tokens"),
            GatewayRemainingTokens = answer.Header("x-gateway-remaining-tokens"),
            GatewayRemainingQuotaTokens = answer.Header("x-gateway-remaining-quota-tokens"),
        };
    }

    /// <summary>A report for a deployment that got no HTTP answer (or was never called).</summary>
    public static DeploymentReport Failed(string deployment, Diagnosis diagnosis, string? message) =>
        new() { Name = deployment, Verdict = diagnosis.Verdict, Hint = diagnosis.Hint, ErrorMessage = message };

    /// <summary>Names the identity a person has to fix: whose role is missing, which audience or expiry is wrong.</summary>
    private static Diagnosis WithIdentity(Diagnosis diagnosis, TokenIdentity? identity)
    {
        if (identity is null)
        {
            return diagnosis;
        }
        return diagnosis.Verdict switch
        {
            Verdict.RoleMissing when identity.ObjectId is not null =>
                diagnosis with { Hint = $"{diagnosis.Hint} The token is for object id {identity.ObjectId} (tenant {identity.TenantId})." },
            Verdict.TokenRejected when identity.Audience is not null && !TokenIdentity.AcceptedAudiences.Contains(identity.Audience, StringComparer.OrdinalIgnoreCase) =>
                diagnosis with { Hint = $"{diagnosis.Hint} This token's audience is {identity.Audience}." },
            Verdict.TokenRejected when identity.ExpiresOn < DateTimeOffset.UtcNow =>
                diagnosis with { Hint = $"{diagnosis.Hint} This token expired at {identity.ExpiresOn:u}." },
            _ => diagnosis,
        };
    }

    /// <summary>A chat completion has choices; a Responses answer is an object "response" with an output list (any status: incomplete still answered).</summary>
    private static Diagnosis ReadCompletion(string body, ProbeApi api, out string? servedModel)
    {
        servedModel = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var answered = api == ProbeApi.Responses
                ? root.ValueKind == JsonValueKind.Object && root.TryGetProperty("object", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() == "response"
                    && root.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.Array
                : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0;
            if (answered)
            {
                servedModel = root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String ? Secrets.WithoutControls(model.GetString()) : null;
                return new Diagnosis(Verdict.Pass, "The deployment answers.");
            }
        }
        catch (JsonException)
        {
        }
        return new Diagnosis(Verdict.Unexpected, $"HTTP 200 without {(api == ProbeApi.Responses ? "a response" : "a chat completion")} in the body: something other than Azure OpenAI answered (a proxy or gateway?); check the endpoint URL.");
    }
}
