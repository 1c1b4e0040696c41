namespace AzureOpenAi.Preflight;

/// <summary>The subdomain and soft-delete rows of one account.</summary>
internal static class AccountChecks
{
    public static IEnumerable<CheckResult> Check(PlannedAccount account, AccountData data)
    {
        yield return Subdomain(account, data);
        yield return SoftDelete(account, data);
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
