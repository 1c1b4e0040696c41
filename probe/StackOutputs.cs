using System.Text.Json;

namespace AzureOpenAi.Probe.Cli;

/// <summary>One region's account in the outputs' <c>regions</c>.</summary>
internal sealed record RegionOutput(string Location, Uri Endpoint, bool Primary);

/// <summary>The part of a stack's outputs (Contract 2, <c>pulumi stack output --json</c>) the probe needs.</summary>
/// <param name="Endpoint">The (primary) account endpoint.</param>
/// <param name="Deployments">Deployment names.</param>
/// <param name="PublicNetworkAccessDisabled">True when <c>publicNetworkAccess</c> is <c>Disabled</c>.</param>
/// <param name="Location">The primary's region, when the outputs say.</param>
/// <param name="Regions">Every region's account, primary first; empty for one region.</param>
/// <param name="GatewayEndpoint">The gateway, when the stack has one.</param>
/// <param name="GatewayAudience">The audience a token for the gateway must carry.</param>
/// <param name="Kind">The accounts' kind, <c>OpenAI</c> or <c>AIServices</c>; null in outputs of a stack from before it was stated.</param>
internal sealed record StackOutputs(Uri Endpoint, IReadOnlyList<string> Deployments, bool PublicNetworkAccessDisabled,
    string? Location = null, IReadOnlyList<RegionOutput>? Regions = null, Uri? GatewayEndpoint = null, string? GatewayAudience = null, string? Kind = null)
{
    private static readonly string[] Kinds = ["OpenAI", "AIServices"];

    /// <summary>True when there is more than the one account to probe.</summary>
    public bool HasSeveralEndpoints => Regions is { Count: > 0 } || GatewayEndpoint is not null;

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
            var location = root.TryGetProperty("location", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
            var gateway = OptionalUrl(root, "gatewayEndpoint", source, "the gateway URL, e.g. https://<service>.azure-api.net/");
            string? audience = null;
            if (gateway is not null)
            {
                audience = root.TryGetProperty("gatewayAudience", out var a) && a.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(a.GetString())
                    ? a.GetString()
                    : throw new FormatException($"{source}: 'gatewayAudience' must name the audience a token for the gateway needs (the stack's aoai:gateway.audience)");
            }
            string? kind = null;
            if (root.TryGetProperty("kind", out var k))
            {
                kind = k.ValueKind == JsonValueKind.String && Kinds.Contains(k.GetString(), StringComparer.Ordinal)
                    ? k.GetString()
                    : throw new FormatException($"{source}: 'kind' must be OpenAI or AIServices (the stack's aoai:kind)");
            }
            return new StackOutputs(endpointUri, names, disabled, location, ReadRegions(root, source), gateway, audience, kind);
        }
    }

    private static Uri? OptionalUrl(JsonElement root, string key, string source, string what)
    {
        if (!root.TryGetProperty(key, out var value))
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String && Uri.TryCreate(value.GetString(), UriKind.Absolute, out var uri)
            ? uri
            : throw new FormatException($"{source}: '{key}' must be {what}");
    }

    private static List<RegionOutput> ReadRegions(JsonElement root, string source)
    {
        if (!root.TryGetProperty("regions", out var regions))
        {
            return [];
        }
        if (regions.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{source}: 'regions' must be a list of {{\"location\", \"endpoint\", \"primary\"}}");
        }
        var list = new List<RegionOutput>();
        foreach (var region in regions.EnumerateArray())
        {
            var at = $"{source}: regions[{list.Count}]";
            if (region.ValueKind != JsonValueKind.Object || !region.TryGetProperty("location", out var location) || location.ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"{at} has no 'location'");
            }
            if (!region.TryGetProperty("endpoint", out var endpoint) || endpoint.ValueKind != JsonValueKind.String || !Uri.TryCreate(endpoint.GetString(), UriKind.Absolute, out var uri))
            {
                throw new FormatException($"{at}: 'endpoint' must be the account URL");
            }
            var primary = region.TryGetProperty("primary", out var p) && p.ValueKind == JsonValueKind.True;
            list.Add(new RegionOutput(location.GetString()!, uri, primary));
        }
        return list;
    }
}
