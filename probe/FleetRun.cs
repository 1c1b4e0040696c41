using System.Diagnostics;

namespace AzureOpenAi.Probe.Cli;

/// <summary>
/// Probes every endpoint the outputs name, all at once: each region's account with the probe's
/// credential, and the gateway with a token for its own audience. The primary account comes first.
/// </summary>
internal static class FleetRun
{
    /// <summary>A probe of one endpoint, ready to run.</summary>
    private sealed record Target(EndpointKind Kind, string? Location, Uri Endpoint, ProbeCredential Credential, bool ExpectPrivate, string? Team = null);

    public static async Task<FleetReport> ProbeAsync(
        StackOutputs outputs,
        Func<bool, ProbeClientOptions> options,
        ProbeCredential accounts,
        Func<string, ProbeCredential> gatewayCredential,
        IReadOnlyList<(string Team, ProbeCredential Credential)> teams,
        CancellationToken cancellationToken)
    {
        var targets = new List<Target>();
        var regions = outputs.Regions is { Count: > 0 } listed
            ? listed.OrderByDescending(r => r.Primary).ToList()
            : [new RegionOutput(outputs.Location ?? "?", outputs.Endpoint, true)];
        // Every regional account is reached the way the primary is: privately when public access is off.
        targets.AddRange(regions.Select(r => new Target(EndpointKind.Account, r.Location, r.Endpoint, accounts, outputs.PublicNetworkAccessDisabled)));
        if (outputs.GatewayEndpoint is { } gateway)
        {
            targets.Add(new Target(EndpointKind.Gateway, null, gateway, gatewayCredential(outputs.GatewayAudience!), false));
            // Each team given a token: the same paths as the team, so its deployments, limits and headers show.
            targets.AddRange(teams.Select(t => new Target(EndpointKind.Gateway, null, gateway, t.Credential, false, t.Team)));
        }
        var clock = Stopwatch.StartNew();
        var reports = await Task.WhenAll(targets.Select(async t =>
        {
            var own = options(t.ExpectPrivate);
            if (t.Kind == EndpointKind.Gateway)
            {
                // One policy routes every API: the probe proves each path a client may take.
                own.Apis = ProbeCommand.AllApis;
            }
            using var client = new ProbeClient(t.Endpoint, t.Credential, own);
            try
            {
                var report = CliAdvice.Apply(await client.ProbeAsync(outputs.Deployments, cancellationToken).ConfigureAwait(false));
                return new EndpointReport(t.Kind, t.Location, t.Kind == EndpointKind.Account ? report with { AccountKind = outputs.Kind } : report) { Team = t.Team };
            }
            catch (ProbeCredentialException ex) when (t.Kind == EndpointKind.Gateway)
            {
                // The gateway's token is its own: the message must name its audience and variable, not the accounts'.
                throw new GatewayCredentialException(outputs.GatewayAudience!, ex);
            }
        })).ConfigureAwait(false);
        return new FleetReport(reports, clock.ElapsedMilliseconds);
    }
}

/// <summary>No token for the gateway's own audience could be obtained.</summary>
internal sealed class GatewayCredentialException(string audience, Exception inner) : Exception($"no token for the gateway's audience {audience}", inner)
{
    public string Audience { get; } = audience;
}
