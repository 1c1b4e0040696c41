using System.Text.Json;
using Azure.Core;

namespace AzureOpenAi.Preflight.Tests;

/// <summary>Every check and verdict of Contract 4, the quota arithmetic, and each region on its own.</summary>
[TestFixture]
public sealed class PreflightClientTests : PreflightFixture
{
    [Test]
    public async Task A_subscription_with_room_for_prod_passes_every_check()
    {
        var report = await Run();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Passed, Is.True, ReportFormatter.ToTable(report));
            Assert.That(report.Checks.Select(c => c.Check), Is.EqualTo(new[] { "provider", "provider", "rights", "rights", "policy", "region", "model", "lifecycle", "quota", "access", "model", "lifecycle", "quota", "access", "subdomain", "soft-delete", "kind" }));
            Assert.That(Row(report, "quota", "chat").Detail, Is.EqualTo("needs 100, free 450 (limit 450, used 0) of OpenAI.DataZoneStandard.gpt-4o"));
            Assert.That(_arm.Requests.Select(r => r.Authorization).Distinct(), Is.EqualTo(new[] { "Bearer arm-token" }));
        }
    }

    [Test]
    public async Task Reads_the_committed_prod_plan_and_passes_it_against_a_subscription_with_room()
    {
        var plan = await CommittedProdPlan();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(plan.SubscriptionId, Is.EqualTo(PreflightPlan.PlaceholderSubscription), "the snapshot is rendered without --subscription-id");
            Assert.That(plan.Accounts, Is.EqualTo(new[]
            {
                new PlannedAccount("oai-contoso-prod", "rg-contoso-prod", "eastus2", "AIServices", "contoso-prod-03c8e0a0", false),
                new PlannedAccount("oai-contoso-prod-westus3", "rg-contoso-prod", "westus3", "AIServices", "contoso-prod-westus3-6580810c", false),
            }));
            Assert.That(plan.Deployments.Select(d => (d.Account.Location, d.Name, d.Model, d.Version, d.Sku, d.Capacity)), Is.EqualTo(new[]
            {
                ("eastus2", "chat", "gpt-5.5", "2026-04-24", "DataZoneStandard", 100), ("eastus2", "chat-mini", "gpt-5.4-mini", "2026-03-17", "DataZoneStandard", 200),
                ("westus3", "chat", "gpt-5.5", "2026-04-24", "DataZoneStandard", 50), ("westus3", "chat-mini", "gpt-5.4-mini", "2026-03-17", "DataZoneStandard", 100),
            }));
        }
        OfferWestus3((450, 0));
        var report = await new PreflightClient(new Token(), Options()).CheckAsync(plan, FakeArm.Subscription);
        Assert.That(report.Passed, Is.True, ReportFormatter.ToTable(report));
    }

    [Test]
    public async Task Checks_each_region_on_its_own_quota_and_models()
    {
        OfferWestus3((100, 80));
        var report = await new PreflightClient(new Token(), Options()).CheckAsync(await CommittedProdPlan(), FakeArm.Subscription);
        CheckResult Quota(string location) => report.Checks.Single(c => c.Check == "quota" && c.Subject == "chat" && c.Location == location);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Checks.Where(c => c.Check == "region").Select(c => c.Subject), Is.EqualTo(new[] { "eastus2", "westus3" }));
            Assert.That(Quota("eastus2").Verdict, Is.EqualTo("ok"));
            Assert.That(Quota("westus3").Verdict, Is.EqualTo("quota-exceeded"));
            Assert.That(Quota("westus3").Detail, Is.EqualTo("needs 50, free 20 (limit 100, used 80) of OpenAI.DataZoneStandard.gpt-5.5"));
            // The secondary's capacity is its own setting, not the primary's.
            Assert.That(Quota("westus3").Fix, Does.StartWith("lower regions[].capacity.chat of westus3, "));
            Assert.That(report.Passed, Is.False);
            // A person reading the table sees which region each row is about.
            Assert.That(ReportFormatter.ToTable(report), Does.Match(@"FAIL quota\s+chat\s+westus3\s+quota-exceeded\s+needs 50"));
        }
        // gpt-5.5, the committed chat deployment's model, as listed for each kind (PreflightFixture's order).
        _arm.Models["westus3"].RemoveAt(9);
        _arm.Models["westus3"].RemoveAt(4);
        var withoutModel = await new PreflightClient(new Token(), Options()).CheckAsync(await CommittedProdPlan(), FakeArm.Subscription);
        Assert.That(withoutModel.Checks.Single(c => c.Check == "model" && c.Subject == "chat" && c.Location == "westus3").Verdict, Is.EqualTo("model-unavailable"));
        Assert.That(withoutModel.Checks.Single(c => c.Check == "model" && c.Subject == "chat" && c.Location == "eastus2").Verdict, Is.EqualTo("ok"));
    }

    [TestCase("eastus2", "ok")]
    [TestCase("westeurope", "destination-wrong-region")]
    [TestCase(null, "destination-missing")]
    public async Task Diagnostics_destinations_must_be_in_the_account_region(string? hubRegion, string verdict)
    {
        var mon = $"/subscriptions/{FakeArm.Subscription}/resourceGroups/rg-mon/providers";
        if (hubRegion is not null) _arm.Locations["evhns-mon"] = hubRegion;
        _arm.Locations["stmonarchive"] = "eastus2";
        var setting = new
        {
            resourceUri = $"/subscriptions/{FakeArm.Subscription}/resourceGroups/rg-contoso-prod/providers/Microsoft.CognitiveServices/accounts/oai-contoso-prod",
            eventHubAuthorizationRuleId = $"{mon}/Microsoft.EventHub/namespaces/evhns-mon/authorizationRules/RootManageSharedAccessKey",
            eventHubName = "aoai-diagnostics",
            storageAccountId = $"{mon}/Microsoft.Storage/storageAccounts/stmonarchive",
        };
        var report = await Run(Plan("eastus2", false, setting));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Row(report, "destination", "evhns-mon").Verdict, Is.EqualTo(verdict), ReportFormatter.ToTable(report));
            Assert.That(Row(report, "destination", "stmonarchive").Verdict, Is.EqualTo("ok"));
            Assert.That(report.Passed, Is.EqualTo(verdict == "ok"));
        }
    }

    [Test]
    public async Task Quota_that_does_not_fit_fails_with_the_numbers()
    {
        _arm.Usages["eastus2"]["OpenAI.DataZoneStandard.gpt-4o"] = (450, 300);
        var report = await Run(Plan(deployments: [("chat", "gpt-4o", "2024-11-20", "DataZoneStandard", 300)]));
        var row = Row(report, "quota", "chat");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Passed, Is.False);
            Assert.That((row.Verdict, row.Severity), Is.EqualTo(("quota-exceeded", Severity.Fail)));
            Assert.That(row.Detail, Is.EqualTo("needs 300, free 150 (limit 450, used 300) of OpenAI.DataZoneStandard.gpt-4o"));
            Assert.That(row.Fix, Does.Contain("request more OpenAI.DataZoneStandard.gpt-4o quota in eastus2"));
        }
    }

    [Test]
    public async Task An_existing_deployment_of_the_same_name_counts_only_its_increase()
    {
        _arm.Usages["eastus2"]["OpenAI.DataZoneStandard.gpt-4o"] = (450, 300);
        _arm.Accounts["oai-contoso-prod"] = ("contoso-prod-1a2b3c4d", [("chat", "DataZoneStandard", 250)]);
        var report = await Run(Plan(deployments: [("chat", "gpt-4o", "2024-11-20", "DataZoneStandard", 300)]));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Row(report, "quota", "chat").Detail, Is.EqualTo("needs 50, free 150 (limit 450, used 300) of OpenAI.DataZoneStandard.gpt-4o"));
            Assert.That(Row(report, "subdomain", "oai-contoso-prod").Detail, Does.Contain("already this account's"));
            Assert.That(report.Passed, Is.True, ReportFormatter.ToTable(report));
        }
    }

    [Test]
    public async Task A_deployment_that_shrinks_does_not_make_room_for_another_that_grows()
    {
        // "a" goes from 200 to 100 and "b" is new at 120, sharing one usage with 100 free: the write
        // order is not promised, so b is judged against what is free now, not after a shrinks.
        _arm.Usages["eastus2"]["OpenAI.DataZoneStandard.gpt-4o"] = (300, 200);
        _arm.Accounts["oai-contoso-prod"] = ("contoso-prod-1a2b3c4d", [("a", "DataZoneStandard", 200)]);
        var report = await Run(Plan(deployments: [("a", "gpt-4o", "2024-11-20", "DataZoneStandard", 100), ("b", "gpt-4o", "2024-11-20", "DataZoneStandard", 120)]));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Row(report, "quota", "b").Verdict, Is.EqualTo("quota-exceeded"));
            Assert.That(Row(report, "quota", "b").Detail, Is.EqualTo("needs 120 (120 for this deployment with a), free 100 (limit 300, used 200) of OpenAI.DataZoneStandard.gpt-4o"));
            Assert.That(Row(report, "quota", "a").Fix, Does.StartWith("lower deployments[].capacity of a, "));
        }
    }

    [Test]
    public async Task Two_deployments_sharing_a_usage_name_fail_together_when_their_sum_does_not_fit()
    {
        _arm.Usages["eastus2"]["OpenAI.DataZoneStandard.gpt-4o"] = (300, 100);
        var report = await Run(Plan(deployments: [("a", "gpt-4o", "2024-11-20", "DataZoneStandard", 120), ("b", "gpt-4o", "2024-11-20", "DataZoneStandard", 100)]));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Row(report, "quota", "a").Verdict, Is.EqualTo("quota-exceeded"));
            Assert.That(Row(report, "quota", "b").Verdict, Is.EqualTo("quota-exceeded"));
            Assert.That(Row(report, "quota", "a").Detail, Is.EqualTo("needs 220 (120 for this deployment with b), free 200 (limit 300, used 100) of OpenAI.DataZoneStandard.gpt-4o"));
        }
    }

    [Test]
    public async Task A_usage_name_the_region_does_not_list_has_no_quota()
    {
        _arm.Usages["eastus2"].Remove("OpenAI.DataZoneStandard.gpt-4o");
        var report = await Run();
        Assert.That(Row(report, "quota", "chat").Detail, Is.EqualTo("needs 100, free 0 (limit 0, used 0) of OpenAI.DataZoneStandard.gpt-4o"));
    }

    public static IEnumerable<TestCaseData> Verdicts()
    {
        yield return Case("provider-not-registered", "provider", "Microsoft.CognitiveServices", a => a.Providers["Microsoft.CognitiveServices"] = "NotRegistered");
        yield return Case("region-unavailable", "region", "eastus2", a => a.Models.Remove("eastus2"));
        yield return Case("region-unavailable", "region", "eastus2", a => a.Models["eastus2"] = []);
        yield return Case("model-unavailable", "model", "chat", a => a.Models["eastus2"].RemoveAt(0));
        yield return Case("sku-unavailable", "model", "chat", a => a.Models["eastus2"][0] = FakeArm.Model("gpt-4o", "2024-11-20", "GlobalStandard", "OpenAI.GlobalStandard.gpt-4o"));
        yield return Case("capacity-invalid", "model", "chat", a => a.Models["eastus2"][0] = FakeArm.Model("gpt-4o", "2024-11-20", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-4o", new { minimum = 1, maximum = 50, step = 1 }));
        yield return Case("capacity-invalid", "model", "chat", a => a.Models["eastus2"][0] = FakeArm.Model("gpt-4o", "2024-11-20", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-4o", new { minimum = 50, maximum = 1000, step = 30 }));
        yield return Case("model-retired", "lifecycle", "chat", a => a.Models["eastus2"][0] = FakeArm.Model("gpt-4o", "2024-11-20", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-4o", inference: "2026-10-01T00:00:00Z"));
        yield return Case("model-retired", "lifecycle", "chat", a => a.Models["eastus2"][0] = FakeArm.Model("gpt-4o", "2024-11-20", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-4o", skuDeprecation: "2026-11-01T00:00:00Z"));
        yield return Case("model-retiring", "lifecycle", "chat", a => a.Models["eastus2"][0] = FakeArm.Model("gpt-4o", "2024-11-20", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-4o", inference: "2027-01-15T00:00:00Z", replacement: ("gpt-4.1", "2025-04-14")));
        yield return Case("quota-exceeded", "quota", "chat", a => a.Usages["eastus2"]["OpenAI.DataZoneStandard.gpt-4o"] = (100, 50));
        yield return Case("subdomain-taken", "subdomain", "oai-contoso-prod", a => a.TakenSubdomains.Add("contoso-prod-1a2b3c4d"));
        yield return Case("soft-deleted", "soft-delete", "oai-contoso-prod", a => a.Deleted["oai-contoso-prod"] = "contoso-prod-1a2b3c4d");
        yield return Case("kind-mismatch", "kind", "oai-contoso-prod", a => (a.Accounts["oai-contoso-prod"], a.Kinds["oai-contoso-prod"]) = (("contoso-prod-1a2b3c4d", []), "AIServices"));
        yield return Case("kind-change-refused", "kind", "oai-contoso-prod", a => (a.Accounts["oai-contoso-prod"], a.Kinds["oai-contoso-prod"]) = (("contoso-prod-1a2b3c4d", []), "CognitiveServices"));
        yield return Case("upgrade-scheduled", "kind", "oai-contoso-prod", a => (a.Accounts["oai-contoso-prod"], a.AutoUpgrades["oai-contoso-prod"]) = (("contoso-prod-1a2b3c4d", []), new { mode = "Enabled", scheduledAt = "2027-01-15T00:00:00Z", status = "Eligible" }));
        yield return Case("check-failed", "kind", "oai-contoso-prod", a => (a.Accounts["oai-contoso-prod"], a.PreviewUnsupported) = (("contoso-prod-1a2b3c4d", []), true));
        yield return Case("check-failed", "quota", "chat", a => a.Queue("/usages", Enumerable.Repeat(new FakeAnswer(500, new { error = new { code = "InternalServerError", message = "boom" } }), 4).ToArray()));
        yield return Case("check-failed", "provider", "Microsoft.CognitiveServices", a => a.Queue("/providers/Microsoft.CognitiveServices", new FakeAnswer(200, null, RawBody: "<html>proxy</html>")));
    }

    private static int _case;

    private static TestCaseData Case(string verdict, string check, string subject, Action<FakeArm> arrange) =>
        new TestCaseData(arrange, check, subject).Returns(verdict).SetName($"Verdict_{++_case:00}_{verdict}_{check}");

    [TestCaseSource(nameof(Verdicts))]
    public async Task<string> Produces_each_verdict(Action<FakeArm> arrange, string check, string subject)
    {
        arrange(_arm);
        var report = await Run();
        var row = Row(report, check, subject);
        Assert.That(row.Severity, Is.EqualTo(row.Verdict is "model-retiring" or "upgrade-scheduled" ? Severity.Warn : Severity.Fail), ReportFormatter.ToTable(report));
        Assert.That(row.Fix, Is.Not.Empty);
        return row.Verdict;
    }

    [Test]
    public async Task A_failed_model_row_leaves_lifecycle_and_quota_not_evaluated()
    {
        _arm.Models["eastus2"].RemoveAt(0);
        var report = await Run();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Row(report, "lifecycle", "chat"), Is.EqualTo(new CheckResult("lifecycle", "chat", "eastus2", "ok", Severity.Ok, "not evaluated: model-unavailable", null)));
            Assert.That(Row(report, "quota", "chat").Detail, Is.EqualTo("not evaluated: model-unavailable"));
        }
    }

    [Test]
    public async Task A_retiring_version_names_the_date_and_the_replacement()
    {
        _arm.Models["eastus2"][0] = FakeArm.Model("gpt-4o", "2024-11-20", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-4o", inference: "2027-01-15T00:00:00Z", replacement: ("gpt-4.1", "2025-04-14"));
        var row = Row(await Run(), "lifecycle", "chat");
        Assert.That(row.Detail, Is.EqualTo("gpt-4o 2024-11-20 (DataZoneStandard) retires on 2027-01-15, in 51 days"));
        Assert.That(row.Fix, Is.EqualTo("move to gpt-4.1 2025-04-14, which Azure lists as the replacement before 2027-01-15"));
    }

    [Test]
    public async Task Restore_true_turns_a_soft_deleted_twin_and_its_subdomain_into_ok_rows()
    {
        _arm.Deleted["oai-contoso-prod"] = "contoso-prod-1a2b3c4d";
        var report = await Run(Plan(restore: true));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Passed, Is.True, ReportFormatter.ToTable(report));
            Assert.That(Row(report, "soft-delete", "oai-contoso-prod").Detail, Does.Contain("restore: true recovers it"));
            Assert.That(Row(report, "subdomain", "oai-contoso-prod").Detail, Does.Contain("soft-deleted self"));
        }
    }
}
