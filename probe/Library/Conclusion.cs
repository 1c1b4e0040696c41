using System.Text.Json;

namespace AzureOpenAi.Probe;

/// <summary>The last stage: a final answer becomes the deployment's report, with the evidence and the hint.</summary>
internal static class Conclusion
{
    public static DeploymentReport From(string deployment, HttpAnswer answer, AuthMode auth, TokenIdentity? identity)
    {
        string? servedModel = null;
        var diagnosis = answer.Status == 200
            ? ReadCompletion(answer.Body, out servedModel)
            : WithIdentity(Classifier.Classify(answer.Status, answer.Error, auth), identity);
        return new DeploymentReport
        {
            Name = deployment,
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

    private static Diagnosis ReadCompletion(string body, out string? servedModel)
    {
        servedModel = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
            {
                servedModel = root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String ? Secrets.WithoutControls(model.GetString()) : null;
                return new Diagnosis(Verdict.Pass, "The deployment answers.");
            }
        }
        catch (JsonException)
        {
        }
        return new Diagnosis(Verdict.Unexpected, "HTTP 200 without a chat completion in the body: something other than Azure OpenAI answered (a proxy or gateway?); check the endpoint URL.");
    }
}
