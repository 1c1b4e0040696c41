namespace AzureOpenAi.Preflight.Tests;

/// <summary>
/// The provider rows: every namespace the plan's types and subnet delegations need, read from the
/// subscription; with Register, a missing one registered and read back a bounded number of times.
/// </summary>
public sealed class ProviderChecksTests : PreflightFixture
{
    private PreflightClientOptions Registering(TimeSpan timeout)
    {
        var options = Options();
        options.Register = true;
        options.RegisterTimeout = timeout;
        options.RegisterPollInterval = TimeSpan.FromMilliseconds(10);
        return options;
    }

    [Test]
    public async Task The_prod_plan_needs_every_provider_its_resources_and_its_gateway_subnet_use()
    {
        var rows = (await RunProd()).Checks.Where(c => c.Check == "provider").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(rows.Select(r => r.Subject), Is.EquivalentTo(new[]
            {
                "Microsoft.Resources", "Microsoft.ManagedIdentity", "Microsoft.Authorization", "Microsoft.KeyVault", "Microsoft.CognitiveServices",
                "Microsoft.Network", "Microsoft.OperationalInsights", "Microsoft.Insights", "Microsoft.ApiManagement", "Microsoft.Consumption", "Microsoft.Web",
            }));
            Assert.That(rows.All(r => r.Verdict == "ok"), Is.True);
            Assert.That(rows.Single(r => r.Subject == "Microsoft.Web").Detail, Does.Contain("a subnet delegated to Microsoft.Web/serverFarms"));
            Assert.That(rows.Single(r => r.Subject == "Microsoft.Consumption").Detail, Does.Contain("for budgets"));
        });
    }

    [Test]
    public async Task A_provider_never_registered_fails_naming_the_command_and_register()
    {
        _arm.Providers["Microsoft.Web"] = "NotRegistered";
        var report = await RunProd();
        var row = Row(report, "provider", "Microsoft.Web");
        Assert.Multiple(() =>
        {
            Assert.That((row.Verdict, row.Severity), Is.EqualTo(("provider-not-registered", Severity.Fail)));
            Assert.That(row.Fix, Does.StartWith("az provider register --namespace Microsoft.Web").And.Contain("--register"));
            Assert.That(_arm.Registrations, Is.Empty, "without --register the preflight only reads");
            Assert.That(report.Passed, Is.False);
        });
    }

    [Test]
    public async Task Register_registers_what_is_missing_and_reads_it_back_until_Registered()
    {
        _arm.Providers["Microsoft.ApiManagement"] = "NotRegistered";
        _arm.RegisteringReads = 2;
        var row = Row(await RunProd(Registering(TimeSpan.FromSeconds(5))), "provider", "Microsoft.ApiManagement");
        Assert.Multiple(() =>
        {
            Assert.That((row.Verdict, row.Detail), Is.EqualTo(("ok", "registered by this run (for service, service/backends, service/apis, service/apis/operations, service/loggers, service/apis/diagnostics, service/apis/policies)")));
            Assert.That(_arm.Registrations, Is.EqualTo(new[] { "Microsoft.ApiManagement" }), "only the missing one is registered");
            Assert.That(_arm.Requests.Count(r => r.Path.EndsWith("/providers/Microsoft.ApiManagement", StringComparison.Ordinal)), Is.EqualTo(4), "one read, then three until Registered");
        });
    }

    [Test]
    public async Task A_registration_that_never_finishes_fails_after_the_reads_its_timeout_allows()
    {
        _arm.Providers["Microsoft.Web"] = "NotRegistered";
        _arm.RegisteringReads = 1000;
        var row = Row(await RunProd(Registering(TimeSpan.FromMilliseconds(50))), "provider", "Microsoft.Web");
        Assert.Multiple(() =>
        {
            Assert.That(row.Verdict, Is.EqualTo("provider-not-registered"));
            Assert.That(row.Detail, Does.StartWith("registered by this run, still Registering after 5 reads"));
            Assert.That(_arm.Requests.Count(r => r.Path.EndsWith("/providers/Microsoft.Web", StringComparison.Ordinal)), Is.EqualTo(6), "the first read and five more, no more");
        });
    }

    [Test]
    public async Task A_caller_who_may_not_register_is_told_which_right_it_needs()
    {
        _arm.Providers["Microsoft.Web"] = "NotRegistered";
        _arm.Queue("/providers/Microsoft.Web/register", new FakeAnswer(403, new { error = new { code = "AuthorizationFailed", message = "The client does not have authorization to perform action 'Microsoft.Web/register/action'." } }));
        var row = Row(await RunProd(Registering(TimeSpan.FromSeconds(1))), "provider", "Microsoft.Web");
        Assert.Multiple(() =>
        {
            Assert.That(row.Verdict, Is.EqualTo("provider-not-registered"));
            Assert.That(row.Detail, Does.Contain("HTTP 403 AuthorizationFailed"));
            Assert.That(row.Fix, Does.Contain("Microsoft.Web/register/action"));
        });
    }

    [Test]
    public void A_plan_with_a_resource_type_the_preflight_does_not_know_is_refused_naming_it()
    {
        var plan = Plan().Replace("azure-native:authorization:RoleAssignment", "azure-native:storage:StorageAccount", StringComparison.Ordinal);
        var error = Assert.Throws<FormatException>(() => PreflightPlan.Parse(plan, "plan.json"))!;
        Assert.That(error.Message, Does.Contain("does not know the resource type azure-native:storage:StorageAccount; add it to preflight/Library/ResourceTypes.cs"));
    }

    [Test]
    public async Task The_Defender_setting_declared_as_a_generic_resource_counts_under_its_own_type()
    {
        // Prod declares accounts/defenderForAISettings through azure-native:resources:Resource.
        var row = Row(await RunProd(), "provider", "Microsoft.CognitiveServices");
        Assert.That(row.Detail, Does.Contain("accounts/defenderForAISettings"));
    }

    [Test]
    public void A_generic_resource_without_its_type_is_refused_naming_what_it_needs()
    {
        var plan = Plan().Replace("\"type\":\"azure-native:authorization:RoleAssignment\"", "\"type\":\"azure-native:resources:Resource\"", StringComparison.Ordinal);
        Assert.That(plan, Does.Contain("azure-native:resources:Resource"), "the plan has one to refuse");
        var error = Assert.Throws<FormatException>(() => PreflightPlan.Parse(plan, "plan.json"))!;
        Assert.That(error.Message, Does.Contain("needs resourceProviderNamespace, resourceType, apiVersion"));
    }
}
