using System.Text.Json;
using AzureOpenAi.Probe.Cli;

namespace AzureOpenAi.Probe.Tests;

[TestFixture]
public sealed class ProbeCommandTests : ProbeFixture
{
    private sealed record Run(int ExitCode, string Output, string Error);

    private static async Task<Run> Invoke(string[] args, IReadOnlyDictionary<string, string>? variables = null, string input = "")
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new ProbeEnvironment(name => variables is not null && variables.TryGetValue(name, out var v) ? v : null, new StringReader(input), output, error);
        var code = await ProbeCommand.RunAsync(args, environment);
        return new Run(code, output.ToString(), error.ToString());
    }

    private static readonly Dictionary<string, string> KeyEnv = new() { [ProbeCommand.KeyVariable] = FakeAzureOpenAi.Key };

    private string StackOutputs(params string[] deployments) => JsonSerializer.Serialize(new
    {
        resourceGroupName = "rg-contoso-dev",
        accountName = "oai-contoso-dev",
        location = "eastus",
        endpoint = _server.Endpoint.AbsoluteUri,
        publicNetworkAccess = "Enabled",
        localAuthDisabled = false,
        deployments = deployments.Select(d => new { name = d, model = "gpt-4o-mini", version = "2024-07-18", sku = "GlobalStandard", capacity = 10 }),
    });

    [Test]
    public async Task Probes_every_deployment_of_stack_outputs_from_standard_input()
    {
        _server.AddDeployment("chat");
        _server.AddDeployment("chat-mini");
        var run = await Invoke(["--outputs", "-", "--auth", "key", "--json"], KeyEnv, StackOutputs("chat", "chat-mini"));
        using var report = JsonDocument.Parse(run.Output);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.Error);
            Assert.That(report.RootElement.GetProperty("endpoint").GetString(), Is.EqualTo(_server.Endpoint.AbsoluteUri));
            Assert.That(report.RootElement.GetProperty("deployments").EnumerateArray().Select(d => (d.GetProperty("name").GetString(), d.GetProperty("verdict").GetString())),
                Is.EqualTo(new[] { ("chat", "pass"), ("chat-mini", "pass") }));
            Assert.That(report.RootElement.GetProperty("deployments")[0].GetProperty("apimRequestId").GetString(), Is.Not.Empty);
            Assert.That(report.RootElement.GetProperty("elapsedMs").GetInt64(), Is.GreaterThanOrEqualTo(0));
        }
    }

    [Test]
    public async Task Says_which_kind_it_probed_a_Foundry_resource_on_its_Azure_OpenAI_path()
    {
        _server.AddDeployment("chat");
        var outputs = StackOutputs("chat").TrimEnd('}') + ""","kind":"AIServices"}""";
        var json = await Invoke(["--outputs", "-", "--auth", "key", "--json"], KeyEnv, outputs);
        var table = await Invoke(["--outputs", "-", "--auth", "key"], KeyEnv, outputs);
        var plain = await Invoke(["--outputs", "-", "--auth", "key", "--json"], KeyEnv, StackOutputs("chat"));
        using var report = JsonDocument.Parse(json.Output);
        using var older = JsonDocument.Parse(plain.Output);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(json.ExitCode, Is.Zero, json.Error);
            Assert.That(report.RootElement.GetProperty("accountKind").GetString(), Is.EqualTo("AIServices"));
            Assert.That(_server.Requests.Select(r => r.Path).Distinct(), Is.EqualTo(new[] { "/openai/deployments/chat/chat/completions" }), "the same Azure OpenAI call as on an OpenAI account");
            Assert.That(table.Output, Does.Contain("Kind     AIServices (a Foundry resource, probed on its Azure OpenAI path)"));
            Assert.That(older.RootElement.GetProperty("accountKind").ValueKind, Is.EqualTo(JsonValueKind.Null), "outputs from before the kind was stated say nothing of it");
        }
    }

    [Test]
    public async Task Reads_stack_outputs_from_a_file_and_exits_1_when_a_deployment_fails()
    {
        _server.AddDeployment("chat");
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, StackOutputs("chat", "gone"));
        var run = await Invoke(["--outputs", file, "--auth", "key"], KeyEnv);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.Output, Does.Match(@"(?m)^chat\s+pass\s+200 "));
            Assert.That(run.Output, Does.Match(@"(?m)^gone\s+deployment-not-found\s+404\s+DeploymentNotFound "));
            Assert.That(run.Output, Does.Contain("retry with --settle 600"));
            Assert.That(run.Output, Does.Contain("1 of 2 deployments answer"));
        }
    }

    [Test]
    public async Task A_missing_login_is_one_line_with_the_fix_and_exit_2()
    {
        _server.AddDeployment("chat");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var notLoggedIn = new FailingCredential(new Azure.Identity.CredentialUnavailableException(
            "DefaultAzureCredential failed to retrieve a token from the included credentials.\n- EnvironmentCredential authentication unavailable.\n- ManagedIdentityCredential authentication unavailable.\n- AzureCliCredential: Please run 'az login' to set up account."));
        var code = await ProbeCommand.RunAsync(["--endpoint", _server.Endpoint.AbsoluteUri, "--deployment", "chat"], new ProbeEnvironment(_ => null, new StringReader(""), output, error, notLoggedIn));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error.ToString().TrimEnd().Split('\n'), Has.Length.EqualTo(1), error.ToString());
            Assert.That(error.ToString(), Does.StartWith("probe: no credential (DefaultAzureCredential failed to retrieve a token from the included credentials.). Run az login"));
            Assert.That(_server.Requests, Is.Empty);
        }
    }

    private sealed class FailingCredential(Exception failure) : Azure.Core.TokenCredential
    {
        public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) => throw failure;

        public override ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) => throw failure;
    }

    [Test]
    public async Task Takes_a_ready_Entra_token_from_the_environment()
    {
        _server.AddDeployment("chat");
        var run = await Invoke(["--endpoint", _server.Endpoint.AbsoluteUri, "--deployment", "chat", "--api", "v1"], new Dictionary<string, string> { [ProbeCommand.TokenVariable] = FakeAzureOpenAi.Token });
        Assert.That(run.ExitCode, Is.Zero, run.Output + run.Error);
        Assert.That(_server.Requests.Single().Headers["Authorization"], Is.EqualTo($"Bearer {FakeAzureOpenAi.Token}"));
    }

    [Test]
    public async Task Probes_every_API_with_all_and_the_dated_path_with_its_api_version()
    {
        _server.AddDeployment("chat");
        var run = await Invoke(["--endpoint", _server.Endpoint.AbsoluteUri, "--deployment", "chat", "--api", "all", "--api-version", "2024-10-21", "--json"], new Dictionary<string, string> { [ProbeCommand.TokenVariable] = FakeAzureOpenAi.Token });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.Output + run.Error);
            Assert.That(_server.Requests.Select(r => r.Path + r.Query).Order(), Is.EqualTo(new[] { "/openai/deployments/chat/chat/completions?api-version=2024-10-21", "/openai/v1/chat/completions", "/openai/v1/responses" }));
        }
    }

    [Test]
    public async Task Shows_whose_token_was_used_but_never_the_token()
    {
        _server.AddDeployment("chat");
        var run = await Invoke(["--endpoint", _server.Endpoint.AbsoluteUri, "--deployment", "chat"], new Dictionary<string, string> { [ProbeCommand.TokenVariable] = FakeAzureOpenAi.TokenWithoutRole });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.Output, Does.Contain($"Token    object id {FakeAzureOpenAi.PrincipalWithoutRole}, tenant 72f988bf-0000-0000-0000-000000000000, audience https://cognitiveservices.azure.com, expires 2100-01-01 00:00:00Z"));
            Assert.That(run.Output, Does.Match(@"(?m)^chat\s+role-missing\s+401\s+PermissionDenied"));
            Assert.That(run.Output, Does.Not.Contain(FakeAzureOpenAi.TokenWithoutRole));
        }
    }

    [Test]
    public async Task Help_lists_every_option_and_exits_0()
    {
        var run = await Invoke(["--help"]);
        Assert.That(run.ExitCode, Is.Zero);
        foreach (var option in new[] { "--outputs", "--endpoint", "--deployment", "--auth", "--api-version", "--api", "--timeout", "--settle", "--json", "--gateway-team" })
        {
            Assert.That(run.Output, Does.Contain(option));
        }
    }

    [Test]
    public async Task Counts_throttled_as_healthy()
    {
        var deployment = _server.AddDeployment("chat");
        for (var i = 0; i < 4; i++)
        {
            deployment.Script.Enqueue(new FakeResponse(429, """{"error":{"code":"429","message":"Rate limit"}}""", new Dictionary<string, string> { ["retry-after-ms"] = "1" }));
        }
        var run = await Invoke(["--endpoint", _server.Endpoint.AbsoluteUri, "--deployment", "chat", "--auth", "key"], KeyEnv);
        Assert.That(run.ExitCode, Is.Zero);
        Assert.That(run.Output, Does.Match(@"(?m)^chat\s+throttled\s+429"));
    }

    public static IEnumerable<TestCaseData> UsageErrors()
    {
        yield return new TestCaseData(Array.Empty<string>(), "pass either --outputs <file|-> or --endpoint <url> with --deployment <name>").SetName("Usage_nothing_to_probe");
        yield return new TestCaseData(new[] { "--outputs", "-", "--endpoint", "https://x.openai.azure.com/" }, "pass either --outputs").SetName("Usage_outputs_and_endpoint");
        yield return new TestCaseData(new[] { "--endpoint", "https://x.openai.azure.com/" }, "--endpoint needs at least one --deployment <name>").SetName("Usage_endpoint_without_deployment");
        yield return new TestCaseData(new[] { "--endpoint", "https://x.openai.azure.com/", "--deployment", "chat", "--auth", "password" }, "password").SetName("Usage_unknown_auth");
        yield return new TestCaseData(new[] { "--endpoint", "https://x.openai.azure.com/", "--deployment", "chat", "--api", "v1", "--api-version", "2024-10-21" }, "--api v1 has no api-version").SetName("Usage_v1_with_api_version");
        yield return new TestCaseData(new[] { "--endpoint", "https://x.openai.azure.com/", "--deployment", "chat", "--api", "responses", "--api-version", "2025-04-01-preview" }, "--api responses has no api-version").SetName("Usage_responses_with_api_version");
        yield return new TestCaseData(new[] { "--endpoint", "https://x.openai.azure.com/", "--deployment", "chat", "--api", "v2" }, "v2").SetName("Usage_unknown_api");
        yield return new TestCaseData(new[] { "--endpoint", "https://x.openai.azure.com/", "--deployment", "chat", "--timeout", "0" }, "--timeout '0' is not a positive number of seconds").SetName("Usage_zero_timeout");
        yield return new TestCaseData(new[] { "--endpoint", "https://x.openai.azure.com/", "--deployment", "chat", "--settle", "-5" }, "--settle '-5' is not zero or a positive number").SetName("Usage_negative_settle");
        // Values System.CommandLine cannot convert crashed with a stack trace and exit 134.
        yield return new TestCaseData(new[] { "--endpoint", "https://x.openai.azure.com/", "--deployment", "chat", "--timeout", "30s" }, "--timeout '30s' is not a positive number of seconds").SetName("Usage_timeout_with_a_unit");
        yield return new TestCaseData(new[] { "--endpoint", "https://x.openai.azure.com/", "--deployment", "chat", "--settle", "abc" }, "--settle 'abc' is not zero or a positive number").SetName("Usage_settle_not_a_number");
        yield return new TestCaseData(new[] { "--endpoint", "https://x.openai.azure.com/", "--deployment", "chat", "--timeout", "NaN" }, "--timeout 'NaN'").SetName("Usage_timeout_not_finite");
        yield return new TestCaseData(new[] { "--endpoint", "https://x.openai.azure.com/", "--deployment", "chat", "--auth", "key" }, "--auth key reads the key from AZURE_OPENAI_API_KEY, which is not set").SetName("Usage_key_not_in_environment");
        yield return new TestCaseData(new[] { "--endpoint", "http://x.openai.azure.com/", "--deployment", "chat" }, "credentials are only sent over https").SetName("Usage_plain_http_endpoint");
        yield return new TestCaseData(new[] { "--endpoint", "not a url", "--deployment", "chat" }, "is not an absolute URL").SetName("Usage_endpoint_not_a_url");
        yield return new TestCaseData(new[] { "--outputs", "/nonexistent/outputs.json" }, "outputs.json").SetName("Usage_outputs_file_missing");
        yield return new TestCaseData(new[] { "--outputs", "-", "--deployment", "chat" }, "--deployment goes with --endpoint").SetName("Usage_deployment_with_outputs");
        yield return new TestCaseData(new[] { "--endpoint", "https://x.openai.azure.com/", "--deployment", "chat", "--api-key", "secret" }, "--api-key").SetName("Usage_key_on_command_line_is_refused");
    }

    [TestCaseSource(nameof(UsageErrors))]
    public async Task Usage_errors_exit_2_with_a_clear_message(string[] args, string message)
    {
        var run = await Invoke(args);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Error, Does.Contain(message));
            Assert.That(run.Error, Does.Not.Contain("(Parameter"), "the option is named, not a .NET parameter");
            Assert.That(run.Error.TrimEnd().Split('\n'), Has.All.StartWith("probe: "), "one line per problem");
            Assert.That(run.Output, Is.Empty);
            Assert.That(_server.Requests, Is.Empty);
        }
    }

    [TestCase("{}", "'endpoint' must be the account URL")]
    [TestCase("""{"endpoint":"https://x.openai.azure.com/"}""", "'deployments' must be a non-empty list")]
    [TestCase("""{"endpoint":"https://x.openai.azure.com/","deployments":[{"model":"gpt-4o"}]}""", "deployments[0] has no 'name'")]
    [TestCase("not json", "standard input is not JSON")]
    [TestCase("""{"endpoint":"https://x.openai.azure.com/","deployments":[{"name":"chat"}],"kind":"Foundry"}""", "'kind' must be OpenAI or AIServices")]
    public async Task Bad_stack_outputs_exit_2_naming_the_key(string outputs, string message)
    {
        var run = await Invoke(["--outputs", "-"], input: outputs);
        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Error, Does.Contain(message));
    }

    [Test]
    public async Task Never_prints_the_key_or_the_token()
    {
        _server.AddDeployment("chat");
        var transcripts = new List<string>();
        foreach (var json in new[] { false, true })
        {
            var format = json ? new[] { "--json" } : [];
            var variables = new Dictionary<string, string> { [ProbeCommand.KeyVariable] = FakeAzureOpenAi.Key, [ProbeCommand.TokenVariable] = FakeAzureOpenAi.Token };
            // Pass, key rejected, key disabled, token rejected, and usage errors: every path that writes.
            _server.LocalAuthDisabled = false;
            foreach (var run in new[]
            {
                await Invoke(["--endpoint", _server.Endpoint.AbsoluteUri, "--deployment", "chat", "--auth", "key", .. format], variables),
                await Invoke(["--endpoint", _server.Endpoint.AbsoluteUri, "--deployment", "chat", "--deployment", "missing", .. format], variables),
                await Invoke(["--endpoint", "http://example.com/", "--deployment", "chat", "--auth", "key", .. format], variables),
                await Invoke(["--endpoint", _server.Endpoint.AbsoluteUri, "--deployment", "chat", "--auth", "key", "--timeout", "-1", .. format], variables),
            })
            {
                transcripts.Add(run.Output + run.Error);
            }
            _server.LocalAuthDisabled = true;
            var disabled = await Invoke(["--endpoint", _server.Endpoint.AbsoluteUri, "--deployment", "chat", "--auth", "key", .. format], variables);
            transcripts.Add(disabled.Output + disabled.Error);
        }
        Assert.That(transcripts, Has.Count.EqualTo(10));
        Assert.That(transcripts, Has.Some.Contains("key-auth-disabled"), "the runs really exercised the failure paths");
        Assert.That(transcripts, Has.None.Contains(FakeAzureOpenAi.Key).And.None.Contains(FakeAzureOpenAi.Token));
    }
}
