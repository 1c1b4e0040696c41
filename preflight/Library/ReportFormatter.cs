using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AzureOpenAi.Preflight;

/// <summary>Renders a <see cref="PreflightReport"/> as JSON (pipelines), a table (people) or Markdown (job summaries).</summary>
public static class ReportFormatter
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary><c>{ "subscriptionId", "checks": [ { "check", "subject", "location", "verdict", "severity", "detail", "fix" } ] }</c>.</summary>
    public static string ToJson(PreflightReport report) => JsonSerializer.Serialize(report, Json);

    /// <summary>One line per row, failures with their fix underneath.</summary>
    public static string ToTable(PreflightReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Preflight for subscription {report.SubscriptionId}");
        text.AppendLine();
        // The region of each row: with secondary regions the same deployment has a row per region.
        var widths = new[] { report.Checks.Max(c => c.Check.Length), report.Checks.Max(c => c.Subject.Length), report.Checks.Max(c => (c.Location ?? "-").Length), report.Checks.Max(c => c.Verdict.Length) };
        foreach (var c in report.Checks)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{Mark(c.Severity)} {c.Check.PadRight(widths[0])}  {c.Subject.PadRight(widths[1])}  {(c.Location ?? "-").PadRight(widths[2])}  {c.Verdict.PadRight(widths[3])}  {c.Detail}");
            if (c.Fix is { } fix)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    fix: {fix}");
            }
        }
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{report.Checks.Count(c => c.Severity == Severity.Fail)} failed, {report.Checks.Count(c => c.Severity == Severity.Warn)} warnings, {report.Checks.Count} checks.");
        return text.ToString();
    }

    /// <summary>A Markdown table for a GitHub job summary.</summary>
    public static string ToMarkdown(PreflightReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        static string Cell(string? s) => string.IsNullOrEmpty(s) ? "-" : s.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### Preflight: subscription {report.SubscriptionId}");
        text.AppendLine();
        text.AppendLine("| Check | Subject | Location | Verdict | Detail | Fix |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var c in report.Checks)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {c.Check} | {Cell(c.Subject)} | {Cell(c.Location)} | {(c.Severity switch { Severity.Ok => "✅", Severity.Warn => "⚠️", _ => "❌" })} {c.Verdict} | {Cell(c.Detail)} | {Cell(c.Fix)} |");
        }
        text.AppendLine();
        return text.ToString();
    }

    private static string Mark(Severity severity) => severity switch { Severity.Ok => "ok  ", Severity.Warn => "WARN", _ => "FAIL" };
}
