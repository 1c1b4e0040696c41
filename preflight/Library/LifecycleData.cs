using System.Globalization;
using System.Text.Json;

namespace AzureOpenAi.Preflight;

/// <summary>One model version's lifecycle as ARM lists it, across the regions read.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Model version.</param>
/// <param name="Lifecycle">ARM's <c>lifecycleStatus</c>, e.g. <c>GenerallyAvailable</c> or <c>Deprecated</c>.</param>
/// <param name="Retirement">The earliest inference retirement over the regions (<c>yyyy-MM-dd</c>); null when none is listed.</param>
/// <param name="Replacement">The replacement ARM names, as <c>name version</c>; null when none.</param>
/// <param name="Skus">Each SKU's own earliest deprecation date over the regions; null when none is listed.</param>
/// <param name="Source">Where the row comes from: ARM's models list and the regions read.</param>
/// <param name="ReadOn">The day it was read (<c>yyyy-MM-dd</c>).</param>
public sealed record LifecycleEntry(string Model, string Version, string Lifecycle, string? Retirement, string? Replacement, IReadOnlyDictionary<string, string?> Skus, string Source, string ReadOn);

/// <summary>
/// The project's model lifecycle file (<c>infra/deployments/data/modelLifecycle.json</c>) from ARM's models lists:
/// what the offline plan refuses and warns about, refreshed from a real subscription.
/// </summary>
public static class LifecycleData
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>Every OpenAI-format model version in the regions' lists, one row each, sorted by model and version.</summary>
    public static IReadOnlyList<LifecycleEntry> From(IReadOnlyDictionary<string, IReadOnlyList<JsonElement>> modelsByRegion, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(modelsByRegion);
        var readOn = now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var seen = new Dictionary<(string Model, string Version), (JsonElement Model, List<string> Regions, string? Retirement, Dictionary<string, string?> Skus)>();
        foreach (var (region, items) in modelsByRegion.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            foreach (var model in items.Select(e => e.TryGetProperty("model", out var m) ? m : default).Where(m => ModelChecks.Text(m, "format") == "OpenAI"))
            {
                var key = (ModelChecks.Text(model, "name"), ModelChecks.Text(model, "version"));
                if (!seen.TryGetValue(key, out var row))
                {
                    row = (model, [], null, new Dictionary<string, string?>(StringComparer.Ordinal));
                }
                // ARM lists a model once per account kind (OpenAI, AIServices): one region, once.
                if (!row.Regions.Contains(region)) row.Regions.Add(region);
                var retirement = Earliest(row.Retirement, model.TryGetProperty("deprecation", out var dep) ? Day(ModelChecks.Date(dep, "inference")) : null);
                foreach (var sku in model.TryGetProperty("skus", out var skus) && skus.ValueKind == JsonValueKind.Array ? skus.EnumerateArray() : Enumerable.Empty<JsonElement>())
                {
                    var name = ModelChecks.Text(sku, "name");
                    row.Skus[name] = Earliest(row.Skus.GetValueOrDefault(name), Day(ModelChecks.Date(sku, "deprecationDate")));
                }
                seen[key] = (row.Model, row.Regions, retirement, row.Skus);
            }
        }
        return seen.OrderBy(e => e.Key.Model, StringComparer.Ordinal).ThenBy(e => e.Key.Version, StringComparer.Ordinal).Select(e =>
        {
            var m = e.Value.Model;
            var replacement = m.TryGetProperty("replacementConfig", out var r) && r.ValueKind == JsonValueKind.Object && ModelChecks.Text(r, "targetModelName").Length > 0
                ? $"{ModelChecks.Text(r, "targetModelName")} {ModelChecks.Text(r, "targetModelVersion")}".Trim() : null;
            return new LifecycleEntry(e.Key.Model, e.Key.Version, ModelChecks.Text(m, "lifecycleStatus"), e.Value.Retirement, replacement,
                new SortedDictionary<string, string?>(e.Value.Skus, StringComparer.Ordinal), $"ARM models list of {string.Join(", ", e.Value.Regions)}", readOn);
        }).ToList();
    }

    /// <summary>The file's JSON: what it is, where it comes from, when it was read, and the rows.</summary>
    public static string ToJson(IReadOnlyList<LifecycleEntry> entries, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var document = new
        {
            about = "Model versions the offline plan knows: lifecycle and retirement per version (and per SKU where ARM lists one). The plan refuses a deployment whose version has retired, warns when it retires within 90 days or is deprecated, and shows each deployment's date. An unknown version is not an error offline: the preflight reads Azure's own per-region dates.",
            source = "ARM: GET /subscriptions/{id}/providers/Microsoft.CognitiveServices/locations/{location}/models (api-version 2025-09-01), written by dotnet run --project preflight -- --write-lifecycle",
            readOn = now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            update = "Run the preflight with --write-lifecycle infra/deployments/data/modelLifecycle.json against a real subscription, review the diff, then run npm test.",
            versions = entries,
        };
        return JsonSerializer.Serialize(document, Json) + Environment.NewLine;
    }

    private static string? Day(DateTimeOffset? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? Earliest(string? a, string? b) => a is null ? b : b is null ? a : string.CompareOrdinal(a, b) <= 0 ? a : b;
}
