using System.Text.Json;

namespace AzureOpenAi.Probe.Cli;

/// <summary>The part of a stack's outputs (Contract 2, <c>pulumi stack output --json</c>) the probe needs.</summary>
/// <param name="Endpoint">The account endpoint.</param>
/// <param name="Deployments">Deployment names.</param>
/// <param name="PublicNetworkAccessDisabled">True when <c>publicNetworkAccess</c> is <c>Disabled</c>.</param>
internal sealed record StackOutputs(Uri Endpoint, IReadOnlyList<string> Deployments, bool PublicNetworkAccessDisabled)
{
    /// <summary>Parses the outputs; throws <see cref="FormatException"/> naming the missing or bad key.</summary>
    public static StackOutputs Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source} is not JSON ({ex.Message}); pass `pulumi stack output --json`");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{source} must be a JSON object of stack outputs");
            }
            if (!root.TryGetProperty("endpoint", out var endpoint) || endpoint.ValueKind != JsonValueKind.String
                || !Uri.TryCreate(endpoint.GetString(), UriKind.Absolute, out var endpointUri))
            {
                throw new FormatException($"{source}: 'endpoint' must be the account URL, e.g. https://<subdomain>.openai.azure.com/");
            }
            if (!root.TryGetProperty("deployments", out var deployments) || deployments.ValueKind != JsonValueKind.Array || deployments.GetArrayLength() == 0)
            {
                throw new FormatException($"{source}: 'deployments' must be a non-empty list of {{\"name\": ...}}");
            }
            var names = new List<string>();
            foreach (var deployment in deployments.EnumerateArray())
            {
                if (deployment.ValueKind != JsonValueKind.Object || !deployment.TryGetProperty("name", out var name)
                    || name.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(name.GetString()))
                {
                    throw new FormatException($"{source}: deployments[{names.Count}] has no 'name'");
                }
                names.Add(name.GetString()!);
            }
            var disabled = root.TryGetProperty("publicNetworkAccess", out var access) && access.ValueKind == JsonValueKind.String
                && string.Equals(access.GetString(), "Disabled", StringComparison.OrdinalIgnoreCase);
            return new StackOutputs(endpointUri, names, disabled);
        }
    }
}
