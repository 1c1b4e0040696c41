using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace AzureOpenAi.Preflight;

/// <summary>
/// Checks an offline plan against the subscription it will be deployed to, before `pulumi up`: every
/// resource provider the plan needs, each region, each deployment's model, SKU, capacity, lifecycle and quota, and
/// each account's subdomain, soft-deleted twin and kind (with Microsoft's automatic upgrade). Every
/// independent ARM call runs concurrently.
/// </summary>
public sealed class PreflightClient
{
    private readonly Arm _arm;
    private readonly PreflightClientOptions _options;

    /// <summary>Creates a client.</summary>
    /// <exception cref="ArgumentException">The options are out of range, or would send the token over plain http off this machine.</exception>
    public PreflightClient(TokenCredential credential, PreflightClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _arm = new Arm(Arm.BuildPipeline(credential, options, _sentTokens), options);
    }

    /// <summary>Every ARM token this client sent: nothing it reports may hold one, in any form ARM could echo it.</summary>
    private readonly ConcurrentDictionary<string, bool> _sentTokens = new(StringComparer.Ordinal);

    /// <summary>The report with every row scrubbed of the tokens sent (and of control characters).</summary>
    private PreflightReport Scrubbed(PreflightReport report)
    {
        var secrets = new Secrets([.. _sentTokens.Keys]);
        return report with { Checks = [.. report.Checks.Select(c => c with { Subject = secrets.Scrub(c.Subject), Detail = secrets.Scrub(c.Detail), Fix = secrets.Scrub(c.Fix) })] };
    }

    /// <summary>Runs every check for the plan in <paramref name="subscriptionId"/>.</summary>
    public async Task<PreflightReport> CheckAsync(PreflightPlan plan, string subscriptionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        try
        {
            return Scrubbed(await CheckAllAsync(plan, subscriptionId, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or FormatException or ArgumentException or OverflowException or IndexOutOfRangeException or System.Text.Json.JsonException
                                   && !cancellationToken.IsCancellationRequested)
        {
            // An answer of a shape ARM does not give (an array for an object, a string for a list): a
            // verdict, never a stack trace or a "usage error". Its text is not quoted: a server's words
            // stay out of the report.
            return new PreflightReport(subscriptionId, [CheckResult.CheckFailed("arm", "answers", null, $"ARM answered in a shape this preflight cannot read ({ex.GetType().Name}); no row can be trusted. Run it again; if it persists, check the ARM endpoint and any proxy in between")]);
        }
    }

    private async Task<PreflightReport> CheckAllAsync(PreflightPlan plan, string subscriptionId, CancellationToken cancellationToken)
    {
        var sub = $"/subscriptions/{subscriptionId}";
        var providers = plan.Providers.Select(p => ProviderChecks.CheckAsync(_arm, sub, p, _options, cancellationToken)).ToList();
        var regions = plan.Accounts.Select(a => a.Location).Distinct(StringComparer.OrdinalIgnoreCase)
            .ToDictionary(l => l, l => RegionData.LoadAsync(_arm, sub, l, cancellationToken), StringComparer.OrdinalIgnoreCase);
        var accounts = plan.Accounts.ToDictionary(a => a, a => AccountData.LoadAsync(_arm, sub, a, cancellationToken));
        var destinations = plan.Destinations.Select(d => DestinationChecks.CheckAsync(_arm, d, cancellationToken)).ToList();
        var names = plan.Resources.Where(NameChecks.Applies).Select(r => NameChecks.CheckAsync(_arm, sub, r, cancellationToken)).ToList();
        var rights = RightsChecks.CheckAsync(_arm, sub, plan, cancellationToken);
        var policy = PolicyChecks.CheckAsync(_arm, sub, plan.Resources, cancellationToken);
        await Task.WhenAll([.. providers, .. regions.Values, .. accounts.Values, .. destinations, .. names, rights, policy]).ConfigureAwait(false);

        var rows = new List<CheckResult>();
        foreach (var provider in providers)
        {
            rows.Add(await provider.ConfigureAwait(false));
        }
        rows.AddRange(await rights.ConfigureAwait(false));
        rows.AddRange(await policy.ConfigureAwait(false));
        foreach (var (location, region) in regions)
        {
            rows.Add(RegionChecks.Region(location, await region.ConfigureAwait(false)));
        }
        var now = _options.Clock.GetUtcNow();
        var models = plan.Deployments.ToDictionary(d => d, d => ModelChecks.Model(d, regions[d.Account.Location].Result));
        // The plan lists the primary region's account first (Contract 1: registration order).
        var quota = QuotaChecks.Quota(plan.Deployments, models, d => regions[d.Account.Location].Result, d => accounts[d.Account].Result, plan.Accounts[0]);
        foreach (var deployment in plan.Deployments)
        {
            var (row, offer) = models[deployment];
            rows.Add(row);
            rows.Add(offer is null
                ? CheckResult.Ok("lifecycle", deployment.Name, deployment.Account.Location, $"not evaluated: {row.Verdict}")
                : ModelChecks.Lifecycle(deployment, offer, now, _options.RetireWarnDays));
            rows.Add(quota[deployment]);
            rows.Add(AccessChecks.Access(deployment, _options.ModelAccess, accounts.Values.Select(a => a.Result), now, _options.RetireWarnDays));
        }
        foreach (var (account, data) in accounts)
        {
            rows.AddRange(AccountChecks.Check(account, await data.ConfigureAwait(false), now));
        }
        foreach (var destination in destinations)
        {
            rows.Add(await destination.ConfigureAwait(false));
        }
        foreach (var name in names)
        {
            rows.Add(await name.ConfigureAwait(false));
        }
        return new PreflightReport(subscriptionId, rows);
    }

    /// <summary>
    /// The lifecycle of every OpenAI model version ARM lists in the regions, for the offline plan's data
    /// file. All or nothing: a region whose list cannot be read is an error, never a partial file.
    /// </summary>
    /// <exception cref="InvalidOperationException">A region's models list could not be read; the message names it.</exception>
    public async Task<IReadOnlyList<LifecycleEntry>> ReadLifecycleAsync(IEnumerable<string> locations, string subscriptionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(locations);
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        var sub = $"/subscriptions/{subscriptionId}";
        var regions = locations.Distinct(StringComparer.OrdinalIgnoreCase).ToDictionary(l => l, l => RegionData.LoadAsync(_arm, sub, l, cancellationToken), StringComparer.OrdinalIgnoreCase);
        await Task.WhenAll(regions.Values).ConfigureAwait(false);
        var unread = regions.Where(r => r.Value.Result.Models is null).Select(r => $"{r.Key} ({r.Value.Result.ModelsFailure ?? r.Value.Result.Unavailable})").ToList();
        if (unread.Count > 0)
        {
            throw new InvalidOperationException($"the models list of {string.Join(", ", unread)} could not be read; nothing was written");
        }
        var entries = LifecycleData.From(regions.ToDictionary(r => r.Key, r => (IReadOnlyList<System.Text.Json.JsonElement>)r.Value.Result.Models!), _options.Clock.GetUtcNow());
        // What ARM names goes into a file the project commits: no token in any form, no control characters.
        var secrets = new Secrets([.. _sentTokens.Keys]);
        return [.. entries.Select(e => e with
        {
            Model = secrets.Scrub(e.Model),
            Version = secrets.Scrub(e.Version),
            Lifecycle = secrets.Scrub(e.Lifecycle),
            Replacement = secrets.Scrub(e.Replacement),
            Skus = e.Skus.ToDictionary(k => secrets.Scrub(k.Key), k => secrets.Scrub(k.Value)),
        })];
    }
}
