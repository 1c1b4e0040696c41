namespace AzureOpenAi.Preflight.Tests;

/// <summary>
/// The name rows of the plan's vaults and gateway: this stack's own, free, held by a soft-deleted
/// vault or service (with the date it frees up), or held elsewhere.
/// </summary>
public sealed class NameChecksTests : PreflightFixture
{
    private const string Vault = "kv-contoso-prod-03c8";
    private const string Gateway = "apim-contoso-prod-9601ff1a";

    [Test]
    public async Task The_prod_plan_checks_both_vaults_and_the_gateway_and_finds_them_free()
    {
        var rows = (await RunProd()).Checks.Where(c => c.Check == "name").ToList();
        Assert.That(rows.Select(r => (r.Subject, r.Location, r.Verdict, r.Detail)), Is.EquivalentTo(new[]
        {
            (Vault, (string?)"eastus2", "ok", $"{Vault} is free"),
            ("kv-contoso-prod-6580", "westus3", "ok", "kv-contoso-prod-6580 is free"),
            (Gateway, "eastus2", "ok", $"{Gateway} is free"),
        }));
    }

    [Test]
    public async Task A_vault_the_stack_already_has_is_its_own()
    {
        _arm.ExistingNames.Add(Vault);
        Assert.That(Row(await RunProd(), "name", Vault).Detail, Does.StartWith("the Key Vault already exists in rg-contoso-prod"));
    }

    [Test]
    public async Task A_deleted_vault_under_purge_protection_holds_the_name_until_its_purge_date()
    {
        _arm.DeletedNames[Vault] = ("2027-03-01T10:00:00Z", true);
        var report = await RunProd();
        var row = Row(report, "name", Vault);
        Assert.Multiple(() =>
        {
            Assert.That((row.Verdict, row.Severity), Is.EqualTo(("soft-deleted", Severity.Fail)));
            Assert.That(row.Detail, Is.EqualTo($"a deleted Key Vault holds the name {Vault} until 2027-03-01T10:00:00Z (purge protection on); creating it again fails"));
            Assert.That(row.Fix, Does.StartWith($"recover it (az keyvault recover --name {Vault})").And.Contain("purge protection forbids purging it"));
            Assert.That(report.Passed, Is.False);
        });
    }

    [Test]
    public async Task A_deleted_gateway_holds_its_name_for_48_hours_and_the_fix_purges_it()
    {
        _arm.DeletedNames[Gateway] = ("2026-12-08T10:00:00Z", false);
        var row = Row(await RunProd(), "name", Gateway);
        Assert.Multiple(() =>
        {
            Assert.That(row.Verdict, Is.EqualTo("soft-deleted"));
            Assert.That(row.Detail, Does.StartWith($"a deleted API Management service holds the name {Gateway} until 2026-12-08T10:00:00Z"));
            Assert.That(row.Fix, Does.StartWith($"purge it (az apim deletedservice purge --service-name {Gateway} --location eastus2)"));
        });
    }

    [Test]
    public async Task A_name_held_in_another_subscription_fails_and_says_how_to_get_another()
    {
        _arm.TakenNames.Add(Gateway);
        var row = Row(await RunProd(), "name", Gateway);
        Assert.Multiple(() =>
        {
            Assert.That((row.Verdict, row.Severity), Is.EqualTo(("name-taken", Severity.Fail)));
            Assert.That(row.Detail, Does.Contain("(AlreadyExists: The name").And.Contain("names are global"));
            Assert.That(row.Fix, Does.Contain("another namePrefix or environment"));
        });
    }

    [Test]
    public async Task A_read_Azure_refuses_is_check_failed_never_free()
    {
        _arm.Queue($"/deletedVaults/{Vault}", new FakeAnswer(403, new { error = new { code = "AuthorizationFailed", message = "no" } }));
        var row = Row(await RunProd(), "name", Vault);
        Assert.That(row.Verdict, Is.EqualTo("check-failed"));
        Assert.That(row.Detail, Does.Contain("HTTP 403 AuthorizationFailed"));
    }
}
