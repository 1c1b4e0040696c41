namespace AzureOpenAi.Preflight.Tests;

/// <summary>
/// The access row of each deployment, from the model access data built into the preflight: a version
/// that needs registration warns with the form, one closed to new subscriptions fails unless the
/// subscription already deploys it, one closing within the warning window warns.
/// </summary>
public sealed class AccessChecksTests : PreflightFixture
{
    private static string PlanOf(string model, string version) => Plan("eastus2", false, (Name: "chat", Model: model, Version: version, Sku: "DataZoneStandard", Capacity: 10));

    [Test]
    public async Task The_committed_prod_deployments_need_no_registration_and_stay_open()
    {
        var report = await RunProd();
        var rows = report.Checks.Where(c => c.Check == "access").ToList();
        Assert.That(rows.Select(r => (r.Subject, r.Location, r.Verdict)), Is.EqualTo(new[]
        {
            ("chat", (string?)"eastus2", "ok"), ("chat-mini", "eastus2", "ok"), ("chat", "westus3", "ok"), ("chat-mini", "westus3", "ok"),
        }));
        Assert.That(rows[0].Detail, Is.EqualTo("gpt-5.5 2026-04-24 needs no registration and is open to new subscriptions until 2027-04-24"));
    }

    [Test]
    public async Task A_version_that_needs_registration_warns_with_the_form()
    {
        var report = await Run(PlanOf("gpt-5.4", "2026-03-05"));
        var row = Row(report, "access", "chat");
        Assert.Multiple(() =>
        {
            Assert.That((row.Verdict, row.Severity), Is.EqualTo(("registration-required", Severity.Warn)));
            Assert.That(row.Fix, Does.Contain("https://aka.ms/oai/gpt5access"));
            Assert.That(report.Checks.Where(c => c.Check == "access").All(c => c.Severity != Severity.Fail), Is.True);
        });
    }

    [Test]
    public async Task A_version_closed_to_new_subscriptions_fails_unless_the_subscription_already_deploys_it()
    {
        var closed = Row(await Run(PlanOf("gpt-5-mini", "2025-08-07")), "access", "chat");
        Assert.Multiple(() =>
        {
            Assert.That((closed.Verdict, closed.Severity), Is.EqualTo(("model-closed", Severity.Fail)));
            Assert.That(closed.Detail, Does.StartWith("gpt-5-mini 2025-08-07 closed on 2026-08-07 to subscriptions that never deployed it"));
        });
        _arm.Accounts["oai-contoso-prod"] = ("contoso-prod-1a2b3c4d", [("chat", "DataZoneStandard", 10)]);
        _arm.DeploymentModels["oai-contoso-prod/chat"] = ("gpt-5-mini", "2025-08-07");
        var kept = Row(await Run(PlanOf("gpt-5-mini", "2025-08-07")), "access", "chat");
        Assert.That((kept.Verdict, kept.Detail), Is.EqualTo(("ok", "gpt-5-mini 2025-08-07 closed to new subscriptions on 2026-08-07; this subscription already deploys it")));
    }

    [Test]
    public async Task A_version_closing_within_the_warning_window_warns_with_its_day()
    {
        var options = Options();
        options.ModelAccess = [new ModelAccessEntry("gpt-x", "2026-01-10", false, null, new DateTimeOffset(2026, 12, 20, 0, 0, 0, TimeSpan.Zero))];
        var row = Row(await Run(PlanOf("gpt-x", "2026-01-10"), options), "access", "chat");
        Assert.That((row.Verdict, row.Severity, row.Detail), Is.EqualTo(("model-closing", Severity.Warn, "gpt-x 2026-01-10 closes on 2026-12-20, in 25 days, to subscriptions that never deployed it")));
    }

    [Test]
    public void The_built_in_data_is_the_projects_file()
    {
        var file = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "..", "infra", "deployments", "data", "modelAccess.json");
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
        Assert.That(ModelAccessEntry.BuiltIn().Select(e => $"{e.Model} {e.Version}"),
            Is.EqualTo(document.RootElement.GetProperty("versions").EnumerateArray().Select(v => $"{v.GetProperty("model").GetString()} {v.GetProperty("version").GetString()}")));
    }
}
