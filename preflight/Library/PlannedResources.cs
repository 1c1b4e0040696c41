using System.Text.Json;

namespace AzureOpenAi.Preflight;

/// <summary>An Azure resource the plan writes, as the subscription-wide checks see it.</summary>
/// <param name="ArmType">Its Azure type, e.g. <c>Microsoft.KeyVault/vaults</c>.</param>
/// <param name="Name">Its Azure name, when the plan gives one.</param>
/// <param name="Location">Its region (or <c>global</c>), when it has one.</param>
/// <param name="Tags">Its tags.</param>
/// <param name="ResourceGroup">Its resource group, when the plan gives one.</param>
/// <param name="ApiVersion">The API version the program writes it with.</param>
public sealed record PlannedResource(string ArmType, string? Name, string? Location, IReadOnlyDictionary<string, string> Tags, string? ResourceGroup = null, string? ApiVersion = null);

/// <summary>A resource provider the plan needs registered, and why.</summary>
/// <param name="Namespace">e.g. <c>Microsoft.Web</c>.</param>
/// <param name="Why">The types, or the subnet delegation, that need it.</param>
public sealed record RequiredProvider(string Namespace, string Why);

/// <summary>Reads the Azure resources of a plan's entries and the providers they need.</summary>
internal static class PlannedResources
{
    public static (List<PlannedResource> Resources, List<RequiredProvider> Providers) Read(JsonElement resources, string source)
    {
        var planned = new List<PlannedResource>();
        var delegations = new List<string>();
        foreach (var resource in resources.EnumerateArray())
        {
            var token = resource.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
            var inputs = resource.TryGetProperty("inputs", out var i) && i.ValueKind == JsonValueKind.Object ? i : default;
            if (ResourceTypes.ArmType(token, inputs, source) is not { } arm)
            {
                continue;
            }
            var tags = inputs.ValueKind == JsonValueKind.Object && inputs.TryGetProperty("tags", out var tg) && tg.ValueKind == JsonValueKind.Object
                ? tg.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!)
                : [];
            string? Input(string name) => ModelChecks.Text(inputs, name) is { Length: > 0 } value ? value : null;
            planned.Add(new PlannedResource(arm.Type, Input(arm.NameInput), Input("location"), tags, Input("resourceGroupName"), arm.ApiVersion));
            // A subnet delegated to a service needs that service's provider, whatever the subnet's own type needs.
            if (inputs.ValueKind == JsonValueKind.Object && inputs.TryGetProperty("delegations", out var d) && d.ValueKind == JsonValueKind.Array)
            {
                delegations.AddRange(d.EnumerateArray().Select(x => ModelChecks.Text(x, "serviceName")).Where(x => x.Length > 0));
            }
        }
        var providers = planned.GroupBy(r => ResourceTypes.Namespace(r.ArmType), StringComparer.OrdinalIgnoreCase)
            .Select(g => new RequiredProvider(g.Key, $"for {string.Join(", ", g.Select(r => r.ArmType[(g.Key.Length + 1)..]).Distinct())}"))
            .ToList();
        foreach (var service in delegations.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var ns = ResourceTypes.Namespace(service);
            if (!providers.Any(p => p.Namespace.Equals(ns, StringComparison.OrdinalIgnoreCase)))
            {
                providers.Add(new RequiredProvider(ns, $"for a subnet delegated to {service}; without it Azure says it could not set the delegation, not that a provider is missing"));
            }
        }
        return (planned, providers);
    }
}
