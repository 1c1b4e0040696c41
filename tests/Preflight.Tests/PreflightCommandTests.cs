using System.Text.Json;
using AzureOpenAi.Preflight.Cli;

namespace AzureOpenAi.Preflight.Tests;

[TestFixture]
[CancelAfter(30_000)]
public sealed class PreflightCommandTests
{
    private FakeArm _arm = null!;

    [SetUp]
    public async Task Start()
    {
        _arm = await FakeArm.StartAsync();
        _arm.Models["eastus2"] = [FakeArm.Model("gpt-4o", "2024-11-20", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-4o"), FakeArm.Model("gpt-4o-mini", "2024-07-18", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-4o-mini")];
        _arm.Usages["eastus2"] = new() { ["OpenAI.DataZoneStandard.gpt-4o"] = (450, 0), ["OpenAI.DataZoneStandard.gpt-4o-mini"] = (1000, 0) };
    }

    [TearDown]
    public async Task Stop() => await _arm.DisposeAsync();

    private sealed record Run(int ExitCode, string Output, string Error);

    private async Task<Run> Invoke(string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new PreflightEnvironment(name => name == PreflightCommand.TokenVariable ? "arm-token-from-env" : null, new StringReader(input), output, error, new PreflightFixture.Token());
        string[] defaults = [.. (args.Contains("--arm-endpoint") ? [] : new[] { "--arm-endpoint", _arm.Endpoint.AbsoluteUri }), .. (args.Contains("--timeout") ? [] : new[] { "--timeout", "3" })];
        var code = await PreflightCommand.RunAsync(["--plan", "-", .. defaults, .. args], environment);
        return new Run(code, output.ToString(), error.ToString());
    }

    [Test]
    public async Task Passes_with_exit_0_and_prints_the_contract_json()
    {
        var run = await Invoke(PreflightFixture.Plan(), "--json");
        using var report = JsonDocument.Parse(run.Output);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.Error + run.Output);
            Assert.That(report.RootElement.GetProperty("subscriptionId").GetString(), Is.EqualTo(FakeArm.Subscription));
            var first = report.RootElement.GetProperty("checks")[0];
            Assert.That(first.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "check", "subject", "location", "verdict", "severity", "detail", "fix" }));
            Assert.That(first.GetProperty("severity").GetString(), Is.EqualTo("ok"));
            Assert.That(_arm.Requests.Select(r => r.Authorization).Distinct(), Is.EqualTo(new[] { "Bearer arm-token-from-env" }), "AZURE_ARM_TOKEN wins over any login");
            Assert.That(run.Output + run.Error, Does.Not.Contain("arm-token-from-env"), "the token is never printed");
        }
    }

    [Test]
    public async Task Fails_with_exit_1_showing_the_numbers_and_the_fix_and_writes_a_summary()
    {
        _arm.Usages["eastus2"]["OpenAI.DataZoneStandard.gpt-4o"] = (450, 400);
        var summary = Path.GetTempFileName();
        var run = await Invoke(PreflightFixture.Plan(), "--summary", summary);
        var markdown = await File.ReadAllTextAsync(summary);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.Output, Does.Match(@"(?m)^FAIL quota\s+chat\s+eastus2\s+quota-exceeded\s+needs 100, free 50 \(limit 450, used 400\) of OpenAI\.DataZoneStandard\.gpt-4o$"));
            Assert.That(run.Output, Does.Contain("    fix: lower deployments[].capacity"));
            Assert.That(markdown, Does.Contain("| quota | chat | eastus2 | ❌ quota-exceeded | needs 100, free 50"));
        }
    }

    [Test]
    public async Task A_missing_login_is_one_line_with_the_fix_and_exit_2()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var notLoggedIn = new FailingCredential(new Azure.Identity.CredentialUnavailableException("DefaultAzureCredential failed to retrieve a token from the included credentials.\n- AzureCliCredential: Please run 'az login' to set up account."));
        var code = await PreflightCommand.RunAsync(["--plan", "-", "--arm-endpoint", _arm.Endpoint.AbsoluteUri], new PreflightEnvironment(_ => null, new StringReader(PreflightFixture.Plan()), output, error, notLoggedIn));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error.ToString().TrimEnd().Split('\n'), Has.Length.EqualTo(1), error.ToString());
            Assert.That(error.ToString(), Does.StartWith("preflight: no ARM credential (DefaultAzureCredential failed to retrieve a token from the included credentials.). Run az login, or set AZURE_ARM_TOKEN."));
            Assert.That(output.ToString(), Is.Empty);
        }
    }

    private sealed class FailingCredential(Exception failure) : Azure.Core.TokenCredential
    {
        public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) => throw failure;

        public override ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) => throw failure;
    }

    public static IEnumerable<TestCaseData> InputErrors()
    {
        var plan = PreflightFixture.Plan();
        yield return new TestCaseData(plan.Replace(FakeArm.Subscription, "00000000-0000-0000-0000-000000000000", StringComparison.Ordinal), Array.Empty<string>(), "rendered for the placeholder subscription").SetName("Placeholder_plan_without_subscription");
        // Its subdomain was derived from the all-zero id: checked against a real subscription it would be reported free.
        yield return new TestCaseData(plan.Replace(FakeArm.Subscription, "00000000-0000-0000-0000-000000000000", StringComparison.Ordinal), new[] { "--subscription-id", FakeArm.Subscription }, $"--json --subscription-id {FakeArm.Subscription})").SetName("Placeholder_plan_with_a_subscription");
        yield return new TestCaseData(plan, new[] { "--subscription-id", "11111111-1111-1111-1111-111111111111" }, $"rendered for subscription {FakeArm.Subscription}, not 11111111").SetName("Subscription_differs_from_plan");
        yield return new TestCaseData(plan, new[] { "--subscription-id", "nope" }, "is not a GUID").SetName("Subscription_not_a_guid");
        yield return new TestCaseData("not json", Array.Empty<string>(), "standard input is not JSON").SetName("Plan_not_json");
        yield return new TestCaseData("""{"stack":"x"}""", Array.Empty<string>(), "is not a plan").SetName("Plan_without_resources");
        yield return new TestCaseData(plan, new[] { "--timeout", "0" }, "--timeout '0' is not a positive number").SetName("Zero_timeout");
        // Values System.CommandLine cannot convert crashed with a stack trace and exit 134.
        yield return new TestCaseData(plan, new[] { "--timeout", "30s" }, "--timeout '30s' is not a positive number of seconds").SetName("Timeout_with_a_unit");
        yield return new TestCaseData(plan, new[] { "--retire-warn-days", "x" }, "--retire-warn-days 'x' is not a whole number of days").SetName("Warn_days_not_a_number");
        yield return new TestCaseData(plan, new[] { "--retire-warn-days", "-1" }, "--retire-warn-days '-1' is not a whole number of days").SetName("Warn_days_negative");
        yield return new TestCaseData(plan, new[] { "--arm-endpoint", "http://management.example.com/" }, "not https").SetName("Plain_http_arm_endpoint");
    }

    [TestCaseSource(nameof(InputErrors))]
    public async Task Input_errors_exit_2_with_one_line_naming_the_problem(string plan, string[] args, string message)
    {
        var run = await Invoke(plan, args);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.Output);
            Assert.That(run.Error, Does.Contain(message));
            Assert.That(run.Error.TrimEnd().Split('\n'), Has.All.StartWith("preflight: "));
            Assert.That(run.Error, Does.Not.Contain("(Parameter"));
            Assert.That(run.Output, Is.Empty);
        }
    }
}
