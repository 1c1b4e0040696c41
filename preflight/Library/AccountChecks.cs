namespace AzureOpenAi.Preflight;

/// <summary>The subdomain, soft-delete and kind rows of one account.</summary>
internal static class AccountChecks
{
    public static IEnumerable<CheckResult> Check(PlannedAccount account, AccountData data, DateTimeOffset now)
    {
        yield return Subdomain(account, data);
        yield return SoftDelete(account, data);
        yield return Kind(account, data, now);
    }

    /// <summary>
    /// What Azure has against the plan's kind. Microsoft upgrades eligible OpenAI accounts to Foundry
    /// resources (AIServices) on its own schedule; a plan that still says OpenAI would roll that back, and
    /// the program stops instead, so the preflight says so first, and warns of a scheduled upgrade.
    /// </summary>
    private static CheckResult Kind(PlannedAccount a, AccountData data, DateTimeOffset now)
    {
        if (data.Exists == false)
        {
            return CheckResult.Ok("kind", a.Name, a.Location, $"a new account, created as {a.Kind}");
        }
        if (data.Exists is null || string.IsNullOrEmpty(data.LiveKind))
        {
            return CheckResult.CheckFailed("kind", a.Name, a.Location, data.AccountFailure ?? "the account's answer has no kind");
        }
        var live = data.LiveKind;
        if (live.Equals("AIServices", StringComparison.OrdinalIgnoreCase) && a.Kind == "OpenAI")
        {
            return CheckResult.Fail("kind", a.Name, a.Location, "kind-mismatch",
                $"Azure has {a.Name} as kind AIServices (Microsoft upgraded it to a Foundry resource, or a stack set it so); the plan says OpenAI, so pulumi up would roll it back, and the program stops instead",
                "set aoai:kind: AIServices (with a hub's DNS, also privateEndpoint.cognitiveServicesDnsZoneId and aiServicesDnsZoneId); to roll back on purpose, roll it back in Azure first (portal: Resource upgrade)");
        }
        if (live.Equals("OpenAI", StringComparison.OrdinalIgnoreCase) && a.Kind == "AIServices")
        {
            // Microsoft's upgrade page: an Azure OpenAI account with a customer-managed key is not upgraded
            // to a Foundry resource (earlier text: only on request). The program stops on the same condition.
            return data.LiveCustomerManagedKey
                ? CheckResult.Fail("kind", a.Name, a.Location, "upgrade-unsupported",
                    $"the plan upgrades {a.Name} from OpenAI to a Foundry resource, and a customer-managed key encrypts it: Microsoft does not support that upgrade, so pulumi up would fail halfway, and the program stops instead",
                    "keep aoai:kind: OpenAI for this stack, or create the Foundry resource as a new account (another aoai:environment or aoai:namePrefix) and move callers to it")
                : new CheckResult("kind", a.Name, a.Location, "upgrade", Severity.Warn,
                    $"pulumi up upgrades {a.Name} in place from OpenAI to a Foundry resource: endpoint, keys, identity and deployments stay",
                    "review the plan-diff (a kind warning, the two Foundry DNS zones added, nothing replaced), then deploy");
        }
        if (!live.Equals(a.Kind, StringComparison.OrdinalIgnoreCase))
        {
            return CheckResult.Fail("kind", a.Name, a.Location, "kind-change-refused",
                $"Azure has {a.Name} as kind {live}; Azure changes a kind only between OpenAI and AIServices (UpdateKindNotAllowed)",
                "use another aoai:namePrefix or aoai:environment, or delete that account first");
        }
        if (data.AutoUpgradeFailure is { } failure)
        {
            return CheckResult.CheckFailed("kind", a.Name, a.Location, $"the automatic upgrade schedule could not be read: {failure}");
        }
        return Scheduled(a, data.AutoUpgrade, now) ?? CheckResult.Ok("kind", a.Name, a.Location, $"Azure has it as {live}, as planned{(a.Kind == "OpenAI" ? "; no automatic upgrade scheduled" : "")}");
    }

    /// <summary>A warning when Microsoft will upgrade an account the plan keeps as OpenAI; null when none is due.</summary>
    private static CheckResult? Scheduled(PlannedAccount a, System.Text.Json.JsonElement? schedule, DateTimeOffset now)
    {
        if (a.Kind != "OpenAI" || schedule is not { } s || !ModelChecks.Text(s, "mode").Equals("Enabled", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var at = ModelChecks.Text(s, "scheduledAt");
        // The preview types name the upgrade's state statusReason (there is no status field).
        var status = ModelChecks.Text(s, "statusReason");
        var when = DateTimeOffset.TryParse(at, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var date)
            ? $"on {date:yyyy-MM-dd}{(date < now ? " (already due)" : $", in {(int)Math.Ceiling((date - now).TotalDays)} days")}"
            : "on a date Azure does not give";
        return new CheckResult("kind", a.Name, a.Location, "upgrade-scheduled", Severity.Warn,
            $"Microsoft will upgrade {a.Name} to a Foundry resource (kind AIServices) {when}{(status.Length > 0 ? $" ({status})" : "")}; after that this stack's kind: OpenAI stops the program",
            $"before then, set aoai:kind: AIServices and deploy (docs/foundry.md, step by step), or defer or opt out under Resource upgrade in the portal");
    }

    private static CheckResult Subdomain(PlannedAccount a, AccountData data)
    {
        if (a.CustomSubdomain is not { } subdomain)
        {
            return CheckResult.Ok("subdomain", a.Name, a.Location, "the plan sets no custom subdomain");
        }
        if (data.ExistingSubdomain is { } own && own.Equals(subdomain, StringComparison.OrdinalIgnoreCase))
        {
            return CheckResult.Ok("subdomain", a.Name, a.Location, $"{subdomain} is already this account's");
        }
        var softDeletedOwn = data.SoftDeleted is { } deleted && deleted.TryGetProperty("properties", out var p) && ModelChecks.Text(p, "customSubDomainName").Equals(subdomain, StringComparison.OrdinalIgnoreCase);
        if (softDeletedOwn && a.Restore)
        {
            return CheckResult.Ok("subdomain", a.Name, a.Location, $"{subdomain} is held by this account's soft-deleted self, which restore: true recovers");
        }
        if (data.SubdomainFailure is { } failure)
        {
            return CheckResult.CheckFailed("subdomain", a.Name, a.Location, failure);
        }
        return data.SubdomainAvailable == true
            ? CheckResult.Ok("subdomain", a.Name, a.Location, $"{subdomain} is free")
            : CheckResult.Fail("subdomain", a.Name, a.Location, "subdomain-taken", $"{subdomain} is taken{(string.IsNullOrEmpty(data.SubdomainReason) ? "" : $": {data.SubdomainReason}")}",
                softDeletedOwn ? "set aoai:restore: true to recover the soft-deleted account, or purge it (az cognitiveservices account purge)" : "choose another aoai:customSubdomain; subdomains are unique across all of Azure");
    }

    private static CheckResult SoftDelete(PlannedAccount a, AccountData data)
    {
        if (data.SoftDeletedFailure is { } failure)
        {
            return CheckResult.CheckFailed("soft-delete", a.Name, a.Location, failure);
        }
        if (data.SoftDeleted is not { } deleted)
        {
            return CheckResult.Ok("soft-delete", a.Name, a.Location, "no soft-deleted account of this name");
        }
        var purge = deleted.TryGetProperty("properties", out var p) ? ModelChecks.Text(p, "scheduledPurgeDate") : "";
        var when = purge.Length > 0 ? $" (purged automatically {purge})" : "";
        return a.Restore
            ? CheckResult.Ok("soft-delete", a.Name, a.Location, $"a soft-deleted {a.Name} exists{when}; restore: true recovers it")
            : CheckResult.Fail("soft-delete", a.Name, a.Location, "soft-deleted", $"a soft-deleted {a.Name} exists in {a.ResourceGroup}{when}; creating it again fails with FlagMustBeSetForRestore",
                $"set aoai:restore: true to recover it, or purge it: az cognitiveservices account purge -n {a.Name} -g {a.ResourceGroup} -l {a.Location}");
    }
}
