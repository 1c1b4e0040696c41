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
        // Once at the stack's own group, once at the hub's, where the spoke writes its side of the peering.
        Assert.That(_arm.Requests.Count(r => r.Path.EndsWith("/providers/Microsoft.Authorization/permissions", StringComparison.Ordinal)), Is.EqualTo(2));
    }

    [Test]
    public async Task A_spokes_writes_into_its_hubs_group_are_checked_there_with_the_peering_action()
    {
        var rows = (await RunProd()).Checks.Where(c => c.Check == "rights").ToList();
        var hub = rows.Single(r => r.Subject == "Microsoft.Network in rg-contoso-hub");
        Assert.Multiple(() =>
        {
            Assert.That(hub.Verdict, Is.EqualTo("ok"));
            Assert.That(hub.Detail, Is.EqualTo("may write virtualNetworks/virtualNetworkPeerings, privateDnsZones/virtualNetworkLinks, virtualNetworks/peer/action at resource group rg-contoso-hub"));
            Assert.That(rows.Single(r => r.Subject == "Microsoft.Network").Detail, Does.Contain("virtualNetworks/peer/action"), "the spoke's own side peers too");
        });
    }

    [Test]
    public async Task A_caller_who_may_not_peer_is_told_before_pulumi_up()
    {
        _arm.Permissions.Clear();
        _arm.Permissions.Add((["*"], ["Microsoft.Network/virtualNetworks/peer/action"]));
        var report = await RunProd();
        var row = Row(report, "rights", "Microsoft.Network in rg-contoso-hub");
        Assert.Multiple(() =>
        {
            Assert.That(row.Verdict, Is.EqualTo("right-missing"));
            Assert.That(row.Detail, Does.StartWith("the caller may not Microsoft.Network/virtualNetworks/peer/action at resource group rg-contoso-hub"));
            Assert.That(report.Passed, Is.False);
        });
    }

    [Test]
    public async Task A_hub_not_yet_deployed_fails_its_rows_naming_the_order()
    {
        _arm.ExistingGroups.Remove("rg-contoso-hub");
        var row = Row(await RunProd(), "rights", "Microsoft.Network in rg-contoso-hub");
        Assert.Multiple(() =>
        {
            Assert.That((row.Verdict, row.Severity), Is.EqualTo(("group-missing", Severity.Fail)));
            Assert.That(row.Detail, Is.EqualTo("the stack writes virtualNetworks/virtualNetworkPeerings, privateDnsZones/virtualNetworkLinks, virtualNetworks/peer/action into resource group rg-contoso-hub, which does not exist"));
            Assert.That(row.Fix, Does.Contain("pulumi up --stack <hub> --cwd hub"));
        });
    }

    [Test]
    public async Task Unreadable_permissions_fail_every_rights_row_never_pass_them()
    {
        _arm.Queue("/providers/Microsoft.Authorization/permissions", new FakeAnswer(200, null, RawBody: "<html>proxy</html>"));
        _arm.Queue("/providers/Microsoft.Authorization/permissions", new FakeAnswer(200, null, RawBody: "<html>proxy</html>"));
        var rows = (await RunProd()).Checks.Where(c => c.Check == "rights").ToList();
        Assert.That(rows, Is.Not.Empty);
        Assert.That(rows.All(r => r.Verdict == "check-failed"), Is.True);
    }
}
