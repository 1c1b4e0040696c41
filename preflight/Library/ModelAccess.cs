using System.Globalization;
using System.Text.Json;

namespace AzureOpenAi.Preflight;

/// <summary>Who may deploy one model version: whether it needs registration, and the day it closes to subscriptions that never deployed it.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Model version.</param>
/// <param name="Registration">True when Microsoft approves subscriptions one by one.</param>
/// <param name="Form">Where to ask, when it does.</param>
/// <param name="ClosesToNewSubscriptions">From this day only subscriptions that already deployed it can.</param>
public sealed record ModelAccessEntry(string Model, string Version, bool Registration, string? Form, DateTimeOffset ClosesToNewSubscriptions)
{
    /// <summary>The project's data (infra/deployments/data/modelAccess.json), built into this library.</summary>
    public static IReadOnlyList<ModelAccessEntry> BuiltIn()
    {
        using var stream = typeof(ModelAccessEntry).Assembly.GetManifestResourceStream("modelAccess.json")
            ?? throw new InvalidOperationException("modelAccess.json is not built into the preflight; rebuild it");
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.GetProperty("versions").EnumerateArray().Select(v => new ModelAccessEntry(
            v.GetProperty("model").GetString()!, v.GetProperty("version").GetString()!, v.GetProperty("registration").GetBoolean(),
            v.TryGetProperty("form", out var f) ? f.GetString() : null,
            DateTimeOffset.Parse(v.GetProperty("closesToNewSubscriptions").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal))).ToList();
    }
}

/// <summary>
/// The access row of a deployment: a version closed to new subscriptions fails unless one of the plan's
/// accounts already has a deployment of it; one closing within the warning window, or needing
/// registration, warns (Azure gives the preflight no way to read a subscription's approval).
/// </summary>
internal static class AccessChecks
{
    public static CheckResult Access(PlannedDeployment d, IReadOnlyList<ModelAccessEntry> data, IEnumerable<AccountData> accounts, DateTimeOffset now, int warnDays)
    {
        var location = d.Account.Location;
        var entry = data.FirstOrDefault(e => e.Model.Equals(d.Model, StringComparison.OrdinalIgnoreCase) && e.Version.Equals(d.Version, StringComparison.OrdinalIgnoreCase));
        if (entry is null)
        {
            return CheckResult.Ok("access", d.Name, location, $"{d.Model} {d.Version} is not in the model access data");
        }
        var closes = entry.ClosesToNewSubscriptions.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (entry.ClosesToNewSubscriptions <= now)
        {
            var deployed = accounts.Any(a => a.Deployments.Any(x => x.TryGetProperty("properties", out var p) && p.TryGetProperty("model", out var m)
                && ModelChecks.Text(m, "name").Equals(d.Model, StringComparison.OrdinalIgnoreCase) && ModelChecks.Text(m, "version").Equals(d.Version, StringComparison.OrdinalIgnoreCase)));
            return deployed
                ? CheckResult.Ok("access", d.Name, location, $"{d.Model} {d.Version} closed to new subscriptions on {closes}; this subscription already deploys it")
                : CheckResult.Fail("access", d.Name, location, "model-closed", $"{d.Model} {d.Version} closed on {closes} to subscriptions that never deployed it, and none of the plan's accounts has a deployment of it",
                    "pin a newer version (deployments[].version), or a newer model");
        }
        var days = (int)Math.Floor((entry.ClosesToNewSubscriptions - now).TotalDays);
        if (entry.Registration)
        {
            return new CheckResult("access", d.Name, location, "registration-required", Severity.Warn,
                $"{d.Model} {d.Version} needs registration: only subscriptions Microsoft approved can deploy it; the deployment fails in any other",
                $"check this subscription is approved, or apply ({entry.Form ?? "Microsoft's models page"}); or pin a model that needs none");
        }
        return days <= warnDays
            ? new CheckResult("access", d.Name, location, "model-closing", Severity.Warn, $"{d.Model} {d.Version} closes on {closes}, in {days} days, to subscriptions that never deployed it", "pin a newer version before then, so a new environment can still be created")
            : CheckResult.Ok("access", d.Name, location, $"{d.Model} {d.Version} needs no registration and is open to new subscriptions until {closes}");
    }
}
