namespace AzureOpenAi.Probe;

/// <summary>What an endpoint is: one region's account, or the gateway in front of them.</summary>
public enum EndpointKind
{
    /// <summary>An Azure OpenAI account (<c>https://&lt;subdomain&gt;.openai.azure.com/</c>).</summary>
    Account,
    /// <summary>The API Management gateway; its answers name the region that served them.</summary>
    Gateway,
}

/// <summary>One endpoint's probe, with what it is and where.</summary>
/// <param name="Kind">Account or gateway.</param>
/// <param name="Location">The account's region; null for the gateway.</param>
/// <param name="Report">The probe of its deployments.</param>
public sealed record EndpointReport(EndpointKind Kind, string? Location, ProbeReport Report)
{
    /// <summary>For a gateway probed as one team (<c>--gateway-team</c>), the team; null for the pipeline's own probe.</summary>
    public string? Team { get; init; }
}

/// <summary>
/// The probe of a multi-region environment: every regional account and the gateway, the primary
/// account first.
/// </summary>
/// <param name="Endpoints">Every endpoint probed; the first is the primary account.</param>
/// <param name="ElapsedMs">Wall time of the whole probe in milliseconds (the endpoints are probed at once).</param>
public sealed record FleetReport(IReadOnlyList<EndpointReport> Endpoints, long ElapsedMs)
{
    /// <summary>True when every deployment at every endpoint is pass or throttled.</summary>
    public bool Healthy => Endpoints.All(e => e.Report.Healthy);

    /// <summary>
    /// Deployments that answered in fewer than two regions' accounts: where failover has nowhere to go.
    /// </summary>
    public IReadOnlyList<string> DeploymentsInFewerThanTwoRegions =>
        Endpoints.Where(e => e.Kind == EndpointKind.Account)
            .SelectMany(e => e.Report.Deployments.Select(d => (d.Name, e.Location, d.Verdict)))
            .GroupBy(x => x.Name, StringComparer.Ordinal)
            .Where(g => g.Where(x => x.Verdict.IsHealthy()).Select(x => x.Location).Distinct(StringComparer.OrdinalIgnoreCase).Count() < 2)
            .Select(g => g.Key)
            .ToList();

    /// <summary>True when every deployment answered in at least two regions.</summary>
    public bool EveryDeploymentInTwoRegions => DeploymentsInFewerThanTwoRegions.Count == 0;
}
