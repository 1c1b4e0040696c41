using System.Text.Json;

namespace AzureOpenAi.Preflight;

/// <summary>
/// What ARM says about one planned account: does it exist (as which kind, with which deployments, with
/// an automatic upgrade scheduled), is a soft-deleted one waiting, is its subdomain free.
/// </summary>
internal sealed record AccountData(bool? Exists, string? ExistingSubdomain, List<JsonElement> Deployments, string? AccountFailure,
    JsonElement? SoftDeleted, string? SoftDeletedFailure, bool? SubdomainAvailable, string? SubdomainReason, string? SubdomainFailure)
{
    private const string Api = "2025-06-01";

    /// <summary>
    /// Azure shows an account's automatic upgrade to a Foundry resource (<c>properties.foundryAutoUpgrade</c>)
    /// only in its preview API versions (2026-01-15-preview and later); the newest one that has it lasts longest.
    /// </summary>
    internal const string UpgradeApi = "2026-05-15-preview";

    /// <summary>The kind Azure has the account as, when it exists.</summary>
    public string? LiveKind { get; init; }

    /// <summary>True when the existing account is encrypted with a customer-managed key (<c>properties.encryption.keySource</c> Microsoft.KeyVault).</summary>
    public bool LiveCustomerManagedKey { get; init; }

    /// <summary>Its <c>properties.foundryAutoUpgrade</c> as the preview API shows it; null when Azure shows none.</summary>
    public JsonElement? AutoUpgrade { get; init; }

    /// <summary>Why the upgrade schedule could not be read; null when it was.</summary>
    public string? AutoUpgradeFailure { get; init; }

    /// <summary>Capacity an existing deployment of this name and SKU already holds (already counted in the usage).</summary>
    public int ExistingCapacity(string name, string sku) => Deployments
        .Where(d => ModelChecks.Text(d, "name").Equals(name, StringComparison.OrdinalIgnoreCase)
            && d.TryGetProperty("sku", out var s) && ModelChecks.Text(s, "name").Equals(sku, StringComparison.OrdinalIgnoreCase))
        .Select(d => d.GetProperty("sku").TryGetProperty("capacity", out var c) && c.TryGetInt32(out var n) ? n : 0)
        .Sum();

    public static async Task<AccountData> LoadAsync(Arm arm, string sub, PlannedAccount account, CancellationToken cancellationToken)
    {
        var path = $"{sub}/resourceGroups/{account.ResourceGroup}/providers/Microsoft.CognitiveServices/accounts/{account.Name}";
        var existing = Try(() => arm.GetAsync(path, Api, cancellationToken));
        var deleted = Try(() => arm.GetAsync($"{sub}/providers/Microsoft.CognitiveServices/locations/{account.Location}/resourceGroups/{account.ResourceGroup}/deletedAccounts/{account.Name}", Api, cancellationToken));
        var domain = account.CustomSubdomain is { } subdomain
            ? Try(() => arm.PostAsync($"{sub}/providers/Microsoft.CognitiveServices/checkDomainAvailability", Api,
                new { subdomainName = subdomain, type = "Microsoft.CognitiveServices/accounts", kind = account.Kind }, cancellationToken))
            : Task.FromResult<(ArmAnswer?, string?)>((null, null));

        var (accountAnswer, accountFailure) = await existing.ConfigureAwait(false);
        bool? exists = accountAnswer switch
        {
            { Ok: true } => true,
            { Status: 404 } => false, // ResourceNotFound, ResourceGroupNotFound: a new account
            null => null,
            _ => null,
        };
        if (accountAnswer is { Ok: false, Status: not 404 })
        {
            accountFailure = $"account: HTTP {accountAnswer.Status} {accountAnswer.ErrorCode} (request id {accountAnswer.RequestId ?? "-"})";
        }
        var deployments = new List<JsonElement>();
        if (exists == true)
        {
            try
            {
                (_, deployments) = await arm.ListAsync($"{path}/deployments", Api, cancellationToken).ConfigureAwait(false);
            }
            catch (ArmUnreadableException ex)
            {
                accountFailure = ex.Message;
            }
        }
        var existingSubdomain = accountAnswer is { Ok: true } && accountAnswer.Body.TryGetProperty("properties", out var p) ? ModelChecks.Text(p, "customSubDomainName") : null;
        var liveKind = accountAnswer is { Ok: true } ? ModelChecks.Text(accountAnswer.Body, "kind") : null;
        var liveCmk = accountAnswer is { Ok: true } && accountAnswer.Body.TryGetProperty("properties", out var ap) && ap.TryGetProperty("encryption", out var enc)
            && ModelChecks.Text(enc, "keySource").Equals("Microsoft.KeyVault", StringComparison.OrdinalIgnoreCase);
        JsonElement? autoUpgrade = null;
        string? autoUpgradeFailure = null;
        if (exists == true)
        {
            // A second read, in the preview version that shows the schedule; its failure touches only the kind row.
            var (upgradeAnswer, upgradeFailure) = await Try(() => arm.GetAsync(path, UpgradeApi, cancellationToken)).ConfigureAwait(false);
            autoUpgradeFailure = upgradeFailure ?? (upgradeAnswer is { Ok: false } ? $"account ({UpgradeApi}): HTTP {upgradeAnswer.Status} {upgradeAnswer.ErrorCode} (request id {upgradeAnswer.RequestId ?? "-"})" : null);
            if (upgradeAnswer is { Ok: true } && upgradeAnswer.Body.TryGetProperty("properties", out var up) && up.TryGetProperty("foundryAutoUpgrade", out var schedule) && schedule.ValueKind == JsonValueKind.Object)
            {
                autoUpgrade = schedule.Clone();
            }
        }

        var (deletedAnswer, deletedFailure) = await deleted.ConfigureAwait(false);
        JsonElement? softDeleted = deletedAnswer is { Ok: true } ? deletedAnswer.Body : null;
        if (deletedAnswer is { Ok: false, Status: not 404 })
        {
            deletedFailure = $"deleted account: HTTP {deletedAnswer.Status} {deletedAnswer.ErrorCode} (request id {deletedAnswer.RequestId ?? "-"})";
        }

        var (domainAnswer, domainFailure) = await domain.ConfigureAwait(false);
        bool? available = domainAnswer is { Ok: true } && domainAnswer.Body.TryGetProperty("isSubdomainAvailable", out var a) && a.ValueKind is JsonValueKind.True or JsonValueKind.False ? a.GetBoolean() : null;
        if (domainAnswer is not null && available is null)
        {
            domainFailure = $"checkDomainAvailability: HTTP {domainAnswer.Status} {domainAnswer.ErrorCode} without isSubdomainAvailable (request id {domainAnswer.RequestId ?? "-"})";
        }
        var reason = domainAnswer is { Ok: true } ? ModelChecks.Text(domainAnswer.Body, "reason") : null;
        return new AccountData(exists, existingSubdomain, deployments, accountFailure, softDeleted, deletedFailure, available, reason, domainFailure)
        {
            LiveKind = liveKind,
            LiveCustomerManagedKey = liveCmk,
            AutoUpgrade = autoUpgrade,
            AutoUpgradeFailure = autoUpgradeFailure,
        };
    }

    private static async Task<(ArmAnswer? Answer, string? Failure)> Try(Func<Task<ArmAnswer>> call)
    {
        try
        {
            return (await call().ConfigureAwait(false), null);
        }
        catch (ArmUnreadableException ex)
        {
            return (null, ex.Message);
        }
    }
}
