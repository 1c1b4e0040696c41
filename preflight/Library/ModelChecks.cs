using System.Globalization;
using System.Text.Json;

namespace AzureOpenAi.Preflight;

/// <summary>What the region offers for one deployment's model, version and SKU.</summary>
internal sealed record SkuOffer(string UsageName, DateTimeOffset? RetiresOn, string? Replacement);

/// <summary>The region, model and lifecycle rows.</summary>
internal static class ModelChecks
{
    public static (CheckResult Row, SkuOffer? Offer) Model(PlannedDeployment d, RegionData region)
    {
        var location = d.Account.Location;
        if (region.ModelsFailure is { } failure)
        {
            return (CheckResult.CheckFailed("model", d.Name, location, failure), null);
        }
        var fix = $"pick a model, version and SKU that {location} offers (az cognitiveservices model list -l {location}), or another region";
        var entries = (region.Models ?? []).Where(e => Text(e, "kind").Equals(d.Account.Kind, StringComparison.OrdinalIgnoreCase)).Select(e => e.TryGetProperty("model", out var m) ? m : default)
            .Where(m => m.ValueKind == JsonValueKind.Object && Text(m, "format").Equals(d.Format, StringComparison.OrdinalIgnoreCase) && Text(m, "name").Equals(d.Model, StringComparison.OrdinalIgnoreCase)).ToList();
        var version = entries.FirstOrDefault(m => Text(m, "version").Equals(d.Version, StringComparison.OrdinalIgnoreCase));
        if (version.ValueKind != JsonValueKind.Object)
        {
            var offered = entries.Select(m => Text(m, "version")).Distinct().Order().ToList();
            return (CheckResult.Fail("model", d.Name, location, "model-unavailable",
                $"{d.Model} {d.Version} is not offered in {location} for kind {d.Account.Kind}{(offered.Count > 0 ? $"; versions offered: {string.Join(", ", offered)}" : "")}", fix), null);
        }
        var skus = version.TryGetProperty("skus", out var s) && s.ValueKind == JsonValueKind.Array ? s.EnumerateArray().ToList() : [];
        var sku = skus.FirstOrDefault(k => Text(k, "name").Equals(d.Sku, StringComparison.OrdinalIgnoreCase));
        if (sku.ValueKind != JsonValueKind.Object)
        {
            return (CheckResult.Fail("model", d.Name, location, "sku-unavailable",
                $"{d.Model} {d.Version} in {location} is offered as {string.Join(", ", skus.Select(k => Text(k, "name")))}, not {d.Sku}", fix), null);
        }
        if (CapacityProblem(d.Capacity, sku.TryGetProperty("capacity", out var c) ? c : default) is { } problem)
        {
            return (CheckResult.Fail("model", d.Name, location, "capacity-invalid", problem, "set deployments[].capacity inside the SKU's range and step"), null);
        }
        var retires = Date(sku, "deprecationDate") ?? (version.TryGetProperty("deprecation", out var dep) ? Date(dep, "inference") : null);
        var replacement = version.TryGetProperty("replacementConfig", out var r) && r.ValueKind == JsonValueKind.Object && Text(r, "targetModelName").Length > 0
            ? $"{Text(r, "targetModelName")} {Text(r, "targetModelVersion")}".Trim() : null;
        var offer = new SkuOffer(Text(sku, "usageName"), retires, replacement);
        return (CheckResult.Ok("model", d.Name, location, $"{d.Model} {d.Version} is offered as {d.Sku} in {location}"), offer);
    }

    public static CheckResult Lifecycle(PlannedDeployment d, SkuOffer offer, DateTimeOffset now, int warnDays)
    {
        var location = d.Account.Location;
        if (offer.RetiresOn is not { } date)
        {
            return CheckResult.Ok("lifecycle", d.Name, location, "no retirement date listed");
        }
        var when = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var instead = offer.Replacement is { } r ? $"move to {r}, which Azure lists as the replacement" : "move to a newer version";
        if (date <= now)
        {
            return CheckResult.Fail("lifecycle", d.Name, location, "model-retired", $"{d.Model} {d.Version} ({d.Sku}) retired on {when}", $"{instead} (deployments[].version)");
        }
        var days = (int)Math.Floor((date - now).TotalDays);
        return days <= warnDays
            ? new CheckResult("lifecycle", d.Name, location, "model-retiring", Severity.Warn, $"{d.Model} {d.Version} ({d.Sku}) retires on {when}, in {days} days", $"{instead} before {when}")
            : CheckResult.Ok("lifecycle", d.Name, location, $"retires on {when}, in {days} days");
    }

    /// <summary>A missing minimum is 1, a missing step is 1, a missing maximum is no bound; allowedValues wins when listed.</summary>
    private static string? CapacityProblem(int capacity, JsonElement rules)
    {
        if (rules.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        if (rules.TryGetProperty("allowedValues", out var allowed) && allowed.ValueKind == JsonValueKind.Array && allowed.GetArrayLength() > 0)
        {
            // Capacity is a whole number of units: a listed value that is not one (1.5, 1e308, "10") can
            // never match, and a list with none is Azure's own answer read as unusable, not a pass.
            var values = allowed.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : (int?)null).OfType<int>().ToList();
            if (values.Count == 0)
            {
                return $"Azure lists no whole-number capacity for this SKU ({allowed.GetArrayLength()} allowed values, none a whole number); check the model's SKUs in the portal";
            }
            return values.Contains(capacity) ? null : $"capacity {capacity} is not one of {string.Join(", ", values)}";
        }
        var min = Number(rules, "minimum") ?? 1;
        var max = Number(rules, "maximum");
        var step = Number(rules, "step") ?? 1;
        if (capacity < min || (max is { } m && capacity > m))
        {
            return $"capacity {capacity} is outside {min}-{(max is { } upper ? upper.ToString(CultureInfo.InvariantCulture) : "any")}";
        }
        return step > 1 && capacity % step != 0 ? $"capacity {capacity} is not a multiple of the step {step}" : null;
    }

    internal static string Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;

    /// <summary>A bound past what an int holds (1e308) is clamped rather than wrapped: no bound then, rather than a negative one.</summary>
    private static int? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && !double.IsNaN(d)
            ? (int)Math.Clamp(Math.Floor(d), int.MinValue, int.MaxValue)
            : null;

    internal static DateTimeOffset? Date(JsonElement element, string name) =>
        DateTimeOffset.TryParse(Text(element, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;
}
