using System.Text.Json;

namespace AzureOpenAi.Preflight.Tests;

/// <summary>
/// The policy rows: each top-level resource of the plan, asked of ARM's policy restrictions check with
/// its type, name, location and tags; a denying assignment fails its type's row, naming it and the field.
/// </summary>
public sealed class PolicyChecksTests : PreflightFixture
{
    private const string AllowedLocations = "/subscriptions/6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b/providers/Microsoft.Authorization/policyAssignments/allowed-locations";

    private static bool In(JsonElement content, string location) => content.GetProperty("location").GetString() == location;

    [Test]
    public async Task Nothing_denied_gives_one_ok_row_per_type_and_region_and_asks_about_every_top_level_resource()
    {
        var rows = (await RunProd()).Checks.Where(c => c.Check == "policy").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(rows.All(r => r.Verdict == "ok"), Is.True);
            Assert.That(rows.Select(r => (r.Subject, r.Location)), Does.Contain(("Microsoft.KeyVault/vaults", (string?)"westus3")).And.Contain(("Microsoft.Insights/actionGroups", (string?)"global")));
            Assert.That(rows.Any(r => r.Subject.EndsWith("/deployments", StringComparison.Ordinal)), Is.False, "child resources are not asked");
            Assert.That(_arm.Requests.Count(r => r.Path.EndsWith("/checkPolicyRestrictions", StringComparison.Ordinal)), Is.EqualTo(rows.Sum(r => r.Detail.Split(", ").Length)));
        });
    }

    [Test]
    public async Task An_allowed_locations_assignment_fails_the_secondary_region_naming_the_assignment_and_the_field()
    {
        _arm.PolicyDenials.Add(("location", AllowedLocations, "location must be one of the following: eastus2, global", c => In(c, "westus3")));
        var report = await RunProd();
        var denied = report.Checks.Where(c => c.Check == "policy" && c.Verdict == "policy-denied").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(denied.Select(d => d.Location).Distinct(), Is.EqualTo(new[] { "westus3" }));
            Assert.That(denied.Select(d => d.Subject), Does.Contain("Microsoft.CognitiveServices/accounts").And.Contain("Microsoft.KeyVault/vaults"));
            var account = denied.Single(d => d.Subject == "Microsoft.CognitiveServices/accounts");
            Assert.That(account.Detail, Is.EqualTo($"oai-contoso-prod-westus3: location denied by assignment {AllowedLocations} (location must be one of the following: eastus2, global)"));
            Assert.That(account.Fix, Does.StartWith("change what the assignment tests"));
            Assert.That(report.Passed, Is.False);
        });
    }

    [Test]
    public async Task A_required_tag_is_asked_with_the_tags_the_plan_sets()
    {
        _arm.PolicyDenials.Add(("tags['dataClass']", "/providers/Microsoft.Management/managementGroups/corp/providers/Microsoft.Authorization/policyAssignments/require-data-class",
            "tag dataClass is required", c => !c.TryGetProperty("tags", out var t) || !t.TryGetProperty("dataClass", out _)));
        var rows = (await RunProd()).Checks.Where(c => c.Check == "policy").ToList();
        var vault = rows.Single(r => r.Subject == "Microsoft.KeyVault/vaults" && r.Location == "eastus2");
        Assert.That(vault.Detail, Does.Contain("tags['dataClass'] denied by assignment /providers/Microsoft.Management/managementGroups/corp/"));
    }

    [Test]
    public async Task An_answer_Azure_refuses_is_check_failed_naming_the_right()
    {
        _arm.Queue("/checkPolicyRestrictions", Enumerable.Range(0, 100).Select(_ => new FakeAnswer(403, new { error = new { code = "AuthorizationFailed", message = "no" } })).ToArray());
        var rows = (await RunProd()).Checks.Where(c => c.Check == "policy").ToList();
        Assert.That(rows.All(r => r.Verdict == "check-failed"), Is.True);
        Assert.That(rows[0].Detail, Does.Contain("HTTP 403 AuthorizationFailed").And.Contain("Microsoft.PolicyInsights/checkPolicyRestrictions/action"));
    }
}
