using System.Text.Json.Serialization;

namespace AzureOpenAi.Preflight;

/// <summary>How bad a row is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    /// <summary>Nothing to do.</summary>
    [JsonStringEnumMemberName("ok")] Ok,
    /// <summary>Deploys, but needs attention: a model retiring, or an account's kind about to change.</summary>
    [JsonStringEnumMemberName("warn")] Warn,
    /// <summary>`pulumi up` would fail here.</summary>
    [JsonStringEnumMemberName("fail")] Fail,
}

/// <summary>One row of the report (the preflight contract in docs/design.md).</summary>
/// <param name="Check">provider, region, model, lifecycle, quota, subdomain, soft-delete, kind or destination.</param>
/// <param name="Subject">The namespace, location, deployment or account the row is about.</param>
/// <param name="Location">The region, where the row has one.</param>
/// <param name="Verdict">e.g. <c>ok</c>, <c>quota-exceeded</c>, <c>check-failed</c>.</param>
/// <param name="Severity">ok, warn or fail.</param>
/// <param name="Detail">The numbers behind the verdict.</param>
/// <param name="Fix">What to do, in one line; null for ok rows.</param>
public sealed record CheckResult(string Check, string Subject, string? Location, string Verdict, Severity Severity, string Detail, string? Fix)
{
    internal static CheckResult Ok(string check, string subject, string? location, string detail) => new(check, subject, location, "ok", Severity.Ok, detail, null);

    internal static CheckResult Fail(string check, string subject, string? location, string verdict, string detail, string fix) => new(check, subject, location, verdict, Severity.Fail, detail, fix);

    internal static CheckResult CheckFailed(string check, string subject, string? location, string detail) =>
        Fail(check, subject, location, "check-failed", detail, "ARM gave no readable answer: check the login's access (Reader on the subscription), then run preflight again");
}

/// <summary>Every row, for one subscription.</summary>
/// <param name="SubscriptionId">The subscription checked.</param>
/// <param name="Checks">Rows in contract order: provider, regions, then per deployment, then per account.</param>
public sealed record PreflightReport(string SubscriptionId, IReadOnlyList<CheckResult> Checks)
{
    /// <summary>True when no row fails (warnings allowed).</summary>
    [JsonIgnore]
    public bool Passed => Checks.All(c => c.Severity != Severity.Fail);
}
