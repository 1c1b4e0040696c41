namespace AzureOpenAi.Preflight.Tests;

/// <summary>
/// The kind row: what Azure has against what the plan declares, and Microsoft's scheduled upgrade of an
/// Azure OpenAI account to a Foundry resource, read the way Azure shows it (a preview api-version only).
/// </summary>
public sealed class KindChecksTests : PreflightFixture
{
    private const string Account = "oai-contoso-prod";

    private static string FoundryPlan(bool customerManagedKey = false)
    {
        var plan = Plan().Replace("\"kind\":\"OpenAI\"", "\"kind\":\"AIServices\"", StringComparison.Ordinal);
        return customerManagedKey
            ? plan.Replace("\"customSubDomainName\":", "\"encryption\":{\"keySource\":\"Microsoft.KeyVault\"},\"customSubDomainName\":", StringComparison.Ordinal)
            : plan;
    }

    private void Exists(string kind, object? schedule = null)
    {
        _arm.Accounts[Account] = ("contoso-prod-1a2b3c4d", []);
        _arm.Kinds[Account] = kind;
        if (schedule is not null) _arm.AutoUpgrades[Account] = schedule;
    }

    private int AccountReads() => _arm.Requests.Count(r => r.Path.EndsWith($"/accounts/{Account}", StringComparison.OrdinalIgnoreCase));

    [Test]
    public async Task A_new_account_is_created_as_planned_and_its_schedule_is_not_read()
    {
        var row = Row(await Run(FoundryPlan()), "kind", Account);
        Assert.That((row.Verdict, row.Detail), Is.EqualTo(("ok", "a new account, created as AIServices")));
        Assert.That(AccountReads(), Is.EqualTo(1), "no second, preview read for an account that does not exist");
    }

    [Test]
    public async Task An_OpenAI_account_planned_as_AIServices_is_upgraded_in_place_with_a_warning()
    {
        Exists("OpenAI");
        var report = await Run(FoundryPlan());
        var row = Row(report, "kind", Account);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((row.Verdict, row.Severity), Is.EqualTo(("upgrade", Severity.Warn)));
            Assert.That(row.Detail, Does.Contain("upgrades oai-contoso-prod in place from OpenAI to a Foundry resource: endpoint, keys, identity and deployments stay"));
            Assert.That(report.Passed, Is.True, "an upgrade deploys");
        }
    }

    [Test]
    public async Task An_upgrade_of_an_account_a_customer_managed_key_encrypts_fails_as_Microsoft_does_not_support_it()
    {
        Exists("OpenAI");
        _arm.CustomerManagedKeys.Add(Account);
        var report = await Run(FoundryPlan(customerManagedKey: true));
        var row = Row(report, "kind", Account);
        Assert.Multiple(() =>
        {
            Assert.That((row.Verdict, row.Severity), Is.EqualTo(("upgrade-unsupported", Severity.Fail)));
            Assert.That(row.Detail, Does.Contain("a customer-managed key encrypts it: Microsoft does not support that upgrade"));
            Assert.That(row.Fix, Does.StartWith("keep aoai:kind: OpenAI for this stack, or create the Foundry resource as a new account"));
            Assert.That(report.Passed, Is.False);
        });
    }

    [Test]
    public async Task A_key_the_plan_adds_to_an_account_without_one_does_not_stop_its_upgrade()
    {
        Exists("OpenAI");
        var row = Row(await Run(FoundryPlan(customerManagedKey: true)), "kind", Account);
        Assert.That((row.Verdict, row.Severity), Is.EqualTo(("upgrade", Severity.Warn)), "only the key Azure has decides");
    }

    [Test]
    public async Task Microsofts_upgrade_against_a_plan_that_still_says_OpenAI_fails_with_the_fix()
    {
        Exists("AIServices");
        var report = await Run();
        var row = Row(report, "kind", Account);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(row.Verdict, Is.EqualTo("kind-mismatch"));
            Assert.That(row.Detail, Does.StartWith("Azure has oai-contoso-prod as kind AIServices"));
            Assert.That(row.Fix, Does.StartWith("set aoai:kind: AIServices"));
            Assert.That(report.Passed, Is.False);
        }
    }

    [Test]
    public async Task A_scheduled_upgrade_warns_with_its_date_and_what_to_do_before_it()
    {
        Exists("OpenAI", new { mode = "Enabled", scheduledAt = "2027-01-15T00:00:00Z", statusReason = "Eligible" });
        var report = await Run();
        var row = Row(report, "kind", Account);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((row.Verdict, row.Severity), Is.EqualTo(("upgrade-scheduled", Severity.Warn)));
            Assert.That(row.Detail, Is.EqualTo("Microsoft will upgrade oai-contoso-prod to a Foundry resource (kind AIServices) on 2027-01-15, in 51 days (Eligible); after that this stack's kind: OpenAI stops the program"));
            Assert.That(row.Fix, Does.Contain("set aoai:kind: AIServices").And.Contain("Resource upgrade in the portal"));
            Assert.That(report.Passed, Is.True);
            Assert.That(AccountReads(), Is.EqualTo(2), "the schedule comes from a second read in the preview api-version");
        }
    }

    [Test]
    public async Task An_opted_out_schedule_or_a_plan_already_on_AIServices_is_ok()
    {
        Exists("OpenAI", new { mode = "Disabled", scheduledAt = "2027-01-15T00:00:00Z", statusReason = "Eligible" });
        Assert.That(Row(await Run(), "kind", Account).Detail, Is.EqualTo("Azure has it as OpenAI, as planned; no automatic upgrade scheduled"));
        Exists("AIServices", new { mode = "Enabled", scheduledAt = "2027-01-15T00:00:00Z", statusReason = "Eligible" });
        Assert.That(Row(await Run(FoundryPlan()), "kind", Account).Detail, Is.EqualTo("Azure has it as AIServices, as planned"));
    }

    [Test]
    public async Task The_committed_prod_plan_cannot_upgrade_OpenAI_accounts_its_keys_already_encrypt()
    {
        OfferWestus3((450, 0));
        _arm.Accounts["oai-contoso-prod"] = ("contoso-prod-03c8e0a0", []);
        _arm.Accounts["oai-contoso-prod-westus3"] = ("contoso-prod-westus3-6580810c", []);
        _arm.CustomerManagedKeys.UnionWith(["oai-contoso-prod", "oai-contoso-prod-westus3"]);
        var report = await new PreflightClient(new Token(), Options()).CheckAsync(await CommittedProdPlan(), FakeArm.Subscription);
        var kinds = report.Checks.Where(c => c.Check == "kind").ToList();
        Assert.That(kinds.Select(k => (k.Subject, k.Verdict)), Is.EqualTo(new[] { ("oai-contoso-prod", "upgrade-unsupported"), ("oai-contoso-prod-westus3", "upgrade-unsupported") }));
    }
}
