using System.Globalization;
using System.Text.Json;

namespace AzureOpenAi.Preflight;

/// <summary>
/// The quota rows. Per region and usage name (from the models list, never built by hand): what the
/// plan adds, minus what deployments of the same name and usage name already hold on the same
/// account (an update, not new), against limit - used. Deployments sharing a usage name share its quota.
/// </summary>
internal static class QuotaChecks
{
    public static Dictionary<PlannedDeployment, CheckResult> Quota(
        IReadOnlyList<PlannedDeployment> deployments,
        IReadOnlyDictionary<PlannedDeployment, (CheckResult Row, SkuOffer? Offer)> models,
        Func<PlannedDeployment, RegionData> region,
        Func<PlannedDeployment, AccountData> account,
        PlannedAccount primary)
    {
        var rows = new Dictionary<PlannedDeployment, CheckResult>();
        var evaluated = deployments.Where(d => models[d].Offer is not null).ToList();
        foreach (var d in deployments.Except(evaluated))
        {
            rows[d] = CheckResult.Ok("quota", d.Name, d.Account.Location, $"not evaluated: {models[d].Row.Verdict}");
        }
        foreach (var group in evaluated.GroupBy(d => (Location: d.Account.Location.ToLowerInvariant(), Usage: models[d].Offer!.UsageName.ToLowerInvariant())))
        {
            var first = group.First();
            var usageName = models[first].Offer!.UsageName;
            var data = region(first);
            if (data.Usages is null)
            {
                foreach (var d in group) rows[d] = CheckResult.CheckFailed("quota", d.Name, d.Account.Location, data.UsagesFailure ?? "no usages list");
                continue;
            }
            var usage = data.Usages.FirstOrDefault(u => u.TryGetProperty("name", out var n) && ModelChecks.Text(n, "value").Equals(usageName, StringComparison.OrdinalIgnoreCase));
            // A usage name the region does not list means no quota there.
            var limit = Number(usage, "limit");
            var used = Number(usage, "currentValue");
            var free = limit - used;
            var needs = group.ToDictionary(d => d, d => Math.Max(0, d.Capacity - account(d).ExistingCapacity(d.Name, d.Sku)));
            var total = needs.Values.Sum();
            foreach (var d in group)
            {
                var shared = group.Count() > 1 ? $" with {string.Join(", ", group.Where(o => o != d).Select(o => o.Name))}" : "";
                var detail = $"needs {F(total)}{(shared.Length > 0 ? $" ({F(needs[d])} for this deployment{shared})" : "")}, free {F(free)} (limit {F(limit)}, used {F(used)}) of {usageName}";
                rows[d] = total <= free
                    ? CheckResult.Ok("quota", d.Name, d.Account.Location, detail)
                    : CheckResult.Fail("quota", d.Name, d.Account.Location, "quota-exceeded", detail,
                        $"lower {CapacitySetting(d, primary)}, request more {usageName} quota in {d.Account.Location} (Azure AI Foundry, Quotas), or use another region");
            }
        }
        return rows;
    }

    /// <summary>The stack setting that sets this deployment's capacity: a secondary region's is its own.</summary>
    private static string CapacitySetting(PlannedDeployment d, PlannedAccount primary) =>
        d.Account == primary ? $"deployments[].capacity of {d.Name}" : $"regions[].capacity.{d.Name} of {d.Account.Location}";

    private static double Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
