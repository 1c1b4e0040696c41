using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AzureOpenAi.Probe;

/// <summary>Renders a <see cref="ProbeReport"/> for pipelines (JSON), people (a table) or job summaries (Markdown).</summary>
public static class ReportFormatter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>One JSON document: <c>{ "endpoint", "dns", "deployments": [ { "name", "verdict", ... } ], "elapsedMs", "healthy", "accountKind" }</c>.</summary>
    public static string ToJson(ProbeReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(report, Json);
    }

    /// <summary>A table with one row per deployment and its hint underneath.</summary>
    public static string ToTable(ProbeReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        var dns = report.Dns.Error is { } error
            ? $"does not resolve ({error})"
            : $"{string.Join(", ", report.Dns.Addresses)} ({(report.Dns.Private ? "private" : "public")})";
        text.AppendLine(CultureInfo.InvariantCulture, $"Endpoint {report.Endpoint}");
        if (report.AccountKind is { } kind)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Kind     {Describe(kind)}");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"DNS      {report.Dns.Host} -> {dns}");
        if (report.Token is { } token)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Token    object id {token.ObjectId ?? "?"}, tenant {token.TenantId ?? "?"}, audience {token.Audience ?? "?"}, expires {token.ExpiresOn?.ToString("u", CultureInfo.InvariantCulture) ?? "?"}");
        }
        text.AppendLine();
        var rows = report.Deployments.Select(d => new[]
        {
            Label(d),
            d.Verdict.ToWireName(),
            d.Status?.ToString(CultureInfo.InvariantCulture) ?? "-",
            d.ErrorCode ?? "-",
            d.Attempts.ToString(CultureInfo.InvariantCulture),
            $"{d.LatencyMs} ms",
            d.ServedModel ?? "-",
            d.Region ?? "-",
            d.ApimRequestId ?? "-",
        }).ToList();
        string[] header = ["DEPLOYMENT", "VERDICT", "STATUS", "CODE", "ATTEMPTS", "LATENCY", "MODEL", "REGION", "APIM-REQUEST-ID"];
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
        text.AppendLine(Line(header));
        foreach (var (row, deployment) in rows.Zip(report.Deployments))
        {
            text.AppendLine(Line(row));
            if (deployment.SpilledOverFrom is { } from)
            {
                // A provisioned deployment at capacity: the standard one named in its spilloverTo answered.
                text.AppendLine(CultureInfo.InvariantCulture, $"    served by {deployment.ServedBy ?? "?"}, spilled over from {from}");
            }
            if (TeamTokens(deployment) is { } left)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    team's tokens left: {left}");
            }
            if (deployment.Verdict != Verdict.Pass)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    {deployment.Hint}");
                if (deployment.ErrorMessage is { } message)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"    ({message})");
                }
            }
        }
        text.AppendLine();
        var healthy = report.Deployments.Count(d => d.Verdict.IsHealthy());
        text.AppendLine(CultureInfo.InvariantCulture, $"{healthy} of {report.Deployments.Count} deployments answer; {report.ElapsedMs} ms in all.");
        return text.ToString();
    }

    /// <summary>The deployment, and the API when it is not the dated path: <c>chat via responses</c>.</summary>
    private static string Label(DeploymentReport d) => d.Api == ProbeApi.Dated ? d.Name : $"{d.Name} via {d.Api.ToString().ToLowerInvariant()}";

    /// <summary>What a gateway with teams says the caller's team has left, when it says so.</summary>
    private static string? TeamTokens(DeploymentReport d) =>
        d.GatewayRemainingTokens is null && d.GatewayRemainingQuotaTokens is null ? null
        : string.Join(", ", new[] { d.GatewayRemainingTokens is { } m ? $"{m} this minute" : null, d.GatewayRemainingQuotaTokens is { } q ? $"{q} this period" : null }.OfType<string>());

    /// <summary>What a kind means for the call the probe made.</summary>
    internal static string Describe(string kind) => kind == "AIServices"
        ? "AIServices (a Foundry resource, probed on its Azure OpenAI path)"
        : kind;

    /// <summary>A Markdown section: the endpoint, then one table row per deployment with its hint.</summary>
    public static string ToMarkdown(ProbeReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        static string Cell(string? text) => string.IsNullOrEmpty(text) ? "-" : text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
        var healthy = report.Deployments.Count(d => d.Verdict.IsHealthy());
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### Probe: {Cell(report.Endpoint)}{(report.AccountKind is { } kind ? $" ({Cell(Describe(kind))})" : "")}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{healthy} of {report.Deployments.Count} deployments answer ({report.ElapsedMs} ms). DNS: {Cell(report.Dns.Error is { } e ? $"does not resolve ({e})" : $"{string.Join(", ", report.Dns.Addresses)} ({(report.Dns.Private ? "private" : "public")})")}.");
        text.AppendLine();
        text.AppendLine("| Deployment | Verdict | Status | Code | Attempts | Latency | Model | Region | apim-request-id | What to do |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var d in report.Deployments)
        {
            var status = d.Status?.ToString(CultureInfo.InvariantCulture);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {Cell(Label(d))} | {(d.Verdict.IsHealthy() ? "✅" : "❌")} {d.Verdict.ToWireName()} | {Cell(status)} | {Cell(d.ErrorCode)} | {d.Attempts} | {d.LatencyMs} ms | {Cell(d.ServedModel)} | {Cell(d.Region)} | {Cell(d.ApimRequestId)} | {(d.Verdict == Verdict.Pass ? Cell(TeamTokens(d) is { } left ? $"team's tokens left: {left}" : null) : Cell(d.Hint))} |");
        }
        text.AppendLine();
        return text.ToString();
    }
}
