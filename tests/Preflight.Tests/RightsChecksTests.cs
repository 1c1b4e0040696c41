namespace AzureOpenAi.Preflight.Tests;

/// <summary>
/// The rights rows: the caller's effective grants (ARM's permissions list, each entry's notActions
/// excluding only within it) against every type the plan writes, with the built-in role that is missing.
/// </summary>
public sealed class RightsChecksTests : PreflightFixture
{
    private static readonly string[] ContributorNot = ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action"];

    [Test]
    public async Task An_owner_may_write_everything_prod_declares()
    {
        var rows = (await RunProd()).Checks.Where(c => c.Check == "rights").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(rows.Select(r => r.Subject), Does.Contain("Microsoft.Authorization").And.Contain("Microsoft.KeyVault").And.Contain("Microsoft.ApiManagement"));
            Assert.That(rows.All(r => r.Verdict == "ok"), Is.True, string.Join("\n", rows.Select(r => r.Detail)));
            Assert.That(rows.Single(r => r.Subject == "Microsoft.Authorization").Detail, Is.EqualTo("may write roleAssignments, locks at the subscription"));
        });
    }

    [Test]
    public async Task A_contributor_cannot_assign_roles_or_lock_and_is_told_which_role_grants_each()
    {
        _arm.Permissions.Clear();
        _arm.Permissions.Add((["*"], ContributorNot));
        var report = await RunProd();
        var row = Row(report, "rights", "Microsoft.Authorization");
        Assert.Multiple(() =>
        {
            Assert.That((row.Verdict, row.Severity), Is.EqualTo(("right-missing", Severity.Fail)));
            Assert.That(row.Detail, Does.StartWith("the caller may not Microsoft.Authorization/roleAssignments/write, Microsoft.Authorization/locks/write at the subscription"));
            Assert.That(row.Fix, Does.Contain("Role Based Access Control Administrator").And.Contain("User Access Administrator or Owner for Microsoft.Authorization/locks/write"));
            Assert.That(row.Fix, Does.Not.Contain("Contributor for the resource writes"));
            Assert.That(Row(report, "rights", "Microsoft.CognitiveServices").Verdict, Is.EqualTo("ok"));
            Assert.That(report.Passed, Is.False);
        });
    }

    [Test]
    public async Task A_second_grant_adds_what_the_first_excludes()
    {
        _arm.Permissions.Clear();
        _arm.Permissions.Add((["*"], ContributorNot));
        // Role Based Access Control Administrator: its own entry, which Contributor's notActions do not touch.
        _arm.Permissions.Add((["Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/delete", "*/read", "Microsoft.Support/*"], []));
        var row = Row(await RunProd(), "rights", "Microsoft.Authorization");
        Assert.That(row.Detail, Does.StartWith("the caller may not Microsoft.Authorization/locks/write at"));
    }

    [Test]
    public async Task A_reader_may_write_nothing_and_each_namespace_says_so()
    {
        _arm.Permissions.Clear();
        _arm.Permissions.Add((["*/read"], []));
        var rows = (await RunProd()).Checks.Where(c => c.Check == "rights").ToList();
        Assert.That(rows.All(r => r.Verdict == "right-missing"), Is.True);
        Assert.That(rows.Single(r => r.Subject == "Microsoft.KeyVault").Detail, Does.Contain("Microsoft.KeyVault/vaults/write, Microsoft.KeyVault/vaults/keys/write"));
        Assert.That(rows.Single(r => r.Subject == "Microsoft.KeyVault").Fix, Does.Contain("Contributor for the resource writes"));
    }

    [Test]
    public async Task An_existing_resource_group_is_read_at_its_own_scope()
    {
        _arm.ExistingGroups.Add("rg-contoso-prod");
        var row = Row(await RunProd(), "rights", "Microsoft.Network");
        Assert.That(row.Detail, Does.EndWith("at resource group rg-contoso-prod"));
        Assert.That(_arm.Requests.Count(r => r.Path.EndsWith("/providers/Microsoft.Authorization/permissions", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public async Task Unreadable_permissions_fail_every_rights_row_never_pass_them()
    {
        _arm.Queue("/providers/Microsoft.Authorization/permissions", new FakeAnswer(200, null, RawBody: "<html>proxy</html>"));
        var rows = (await RunProd()).Checks.Where(c => c.Check == "rights").ToList();
        Assert.That(rows, Is.Not.Empty);
        Assert.That(rows.All(r => r.Verdict == "check-failed"), Is.True);
    }
}
