using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AzureOpenAi.Probe;

/// <summary>Renders a <see cref="FleetReport"/>: a section per endpoint, then whether failover has somewhere to go.</summary>
public static class FleetFormatter
{
    /// <summary>
    /// One JSON document. The top-level <c>endpoint</c>, <c>dns</c>, <c>token</c> and <c>deployments</c>
    /// describe the primary account, as for one region, so single-region readers keep working;
    /// <c>endpoints</c> holds every endpoint with its <c>kind</c> and <c>location</c>.
    /// </summary>
    public static string ToJson(FleetReport fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        var root = JsonNode.Parse(ReportFormatter.ToJson(fleet.Endpoints[0].Report))!.AsObject();
        var endpoints = new JsonArray();
        foreach (var e in fleet.Endpoints)
        {
            var section = JsonNode.Parse(ReportFormatter.ToJson(e.Report))!.AsObject();
            section.Insert(1, "kind", e.Kind == EndpointKind.Gateway ? "gateway" : "account");
            section.Insert(2, "location", e.Location);
            section.Insert(3, "team", e.Team);
            endpoints.Add(section);
        }
        root["endpoints"] = endpoints;
        root["everyDeploymentInTwoRegions"] = fleet.EveryDeploymentInTwoRegions;
        root["deploymentsInFewerThanTwoRegions"] = new JsonArray([.. fleet.DeploymentsInFewerThanTwoRegions.Select(n => (JsonNode?)n)]);
        root["elapsedMs"] = fleet.ElapsedMs;
        root["healthy"] = fleet.Healthy;
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The table of each endpoint under a heading naming it, then the failover line.</summary>
    public static string ToTable(FleetReport fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        var text = new StringBuilder();
        foreach (var e in fleet.Endpoints)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"== {Title(e)}");
            text.Append(ReportFormatter.ToTable(e.Report)).AppendLine();
        }
        text.AppendLine(FailoverLine(fleet));
        return text.ToString();
    }

    /// <summary>Each endpoint's Markdown section under a heading naming it, then the failover line.</summary>
    public static string ToMarkdown(FleetReport fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        var text = new StringBuilder();
        foreach (var e in fleet.Endpoints)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"#### {Title(e)}").AppendLine();
            text.Append(ReportFormatter.ToMarkdown(e.Report));
        }
        text.AppendLine(FailoverLine(fleet)).AppendLine();
        return text.ToString();
    }

    private static string Title(EndpointReport e) => e.Kind == EndpointKind.Gateway
        ? $"gateway{(e.Team is { } team ? $" as team {team}" : "")} (the REGION column says which region served each call)"
        : $"account in {e.Location ?? "?"}";

    private static string FailoverLine(FleetReport fleet) => fleet.EveryDeploymentInTwoRegions
        ? $"Every deployment answers in at least two regions; {fleet.ElapsedMs} ms in all."
        : $"Answering in fewer than two regions: {string.Join(", ", fleet.DeploymentsInFewerThanTwoRegions)}; failover has nowhere to go for them. {fleet.ElapsedMs} ms in all.";
}
