using System.Text.Json;
using AzureOpenAi.Probe.Cli;

namespace AzureOpenAi.Probe.Tests;

/// <summary>
/// Outputs with regions and a gateway (Contract 2): every endpoint is probed in one run, each region's
/// account and the gateway, against fakes standing in for eastus2, westus3 and the gateway.
/// </summary>
[TestFixture]
[CancelAfter(20_000)]
public sealed class ProbeFleetTests
{
    private const string GatewayToken = "fake-gateway-token";
    private FakeAzureOpenAi _east = null!;
    private FakeAzureOpenAi _west = null!;
    private FakeAzureOpenAi _gateway = null!;

    [SetUp]
    public async Task Start()
    {
        (_east, _west, _gateway) = (await FakeAzureOpenAi.StartAsync(), await FakeAzureOpenAi.StartAsync(), await FakeAzureOpenAi.StartAsync());
        _west.Region = "West US 3";
        _gateway.AcceptedToken = GatewayToken;
        foreach (var fake in new[] { _east, _west, _gateway })
        {
            fake.AddDeployment("chat");
            fake.AddDeployment("chat-mini");
        }
    }

    [TearDown]
    public async Task Stop()
    {
        await _east.DisposeAsync();
        await _west.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    private string Outputs(bool withGateway = true) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["location"] = "eastus2",
        ["kind"] = "AIServices",
        ["endpoint"] = _east.Endpoint.AbsoluteUri,
        ["publicNetworkAccess"] = "Enabled",
        ["deployments"] = new[] { new { name = "chat" }, new { name = "chat-mini" } },
        ["regions"] = new[]
        {
            new { location = "eastus2", endpoint = _east.Endpoint.AbsoluteUri, primary = true },
            new { location = "westus3", endpoint = _west.Endpoint.AbsoluteUri, primary = false },
        },
        ["gatewayEndpoint"] = withGateway ? _gateway.Endpoint.AbsoluteUri : null!,
        ["gatewayAudience"] = "api://contoso-openai-gateway",
    }.Where(kv => kv.Value is not null).ToDictionary());

    private static readonly Dictionary<string, string> Tokens = new()
    {
        [ProbeCommand.TokenVariable] = FakeAzureOpenAi.Token,
        [ProbeCommand.GatewayTokenVariable] = GatewayToken,
    };

    private static async Task<(int Code, string Output, string Error)> Invoke(string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new ProbeEnvironment(name => Tokens.GetValueOrDefault(name), new StringReader(input), output, error);
        var code = await ProbeCommand.RunAsync(["--outputs", "-", .. args], environment);
        return (code, output.ToString(), error.ToString());
    }

    private static IEnumerable<(string? Kind, string? Location, string? Deployment, string? Verdict)> Rows(JsonElement root) =>
        root.GetProperty("endpoints").EnumerateArray().SelectMany(e => e.GetProperty("deployments").EnumerateArray().Select(d =>
            (e.GetProperty("kind").GetString(), e.GetProperty("location").GetString(), d.GetProperty("name").GetString(), d.GetProperty("verdict").GetString())));

    [Test]
    public async Task Probes_every_region_and_the_gateway_and_says_every_deployment_answers_twice()
    {
        var (code, output, error) = await Invoke(Outputs(), "--json");
        using var report = JsonDocument.Parse(output);
        var root = report.RootElement;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero, error);
            Assert.That(Rows(root), Is.EqualTo(new[]
            {
                ("account", "eastus2", "chat", "pass"), ("account", "eastus2", "chat-mini", "pass"),
                ("account", "westus3", "chat", "pass"), ("account", "westus3", "chat-mini", "pass"),
                // The gateway routes every API with one policy: each deployment through each of them.
                ("gateway", null, "chat", "pass"), ("gateway", null, "chat", "pass"), ("gateway", null, "chat", "pass"),
                ("gateway", null, "chat-mini", "pass"), ("gateway", null, "chat-mini", "pass"), ("gateway", null, "chat-mini", "pass"),
            }));
            Assert.That(root.GetProperty("endpoints")[2].GetProperty("deployments").EnumerateArray().Select(d => d.GetProperty("api").GetString()),
                Is.EqualTo(new[] { "dated", "v1", "responses", "dated", "v1", "responses" }));
            Assert.That(_gateway.Requests.Select(r => r.Path).Distinct().Order(), Is.EqualTo(new[]
            {
                "/openai/deployments/chat-mini/chat/completions", "/openai/deployments/chat/chat/completions", "/openai/v1/chat/completions", "/openai/v1/responses",
            }));
            Assert.That(_east.Requests.Select(r => r.Path).Distinct().Count(), Is.EqualTo(2), "an account is probed as --api says: the dated path by default");
            Assert.That(root.GetProperty("everyDeploymentInTwoRegions").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("endpoints").EnumerateArray().Select(e => e.GetProperty("accountKind").GetString()), Is.EqualTo(new[] { "AIServices", "AIServices", null }),
                "each Foundry account says which kind it probed; the gateway is no account");
            Assert.That(root.GetProperty("endpoint").GetString(), Is.EqualTo(_east.Endpoint.AbsoluteUri), "the top level stays the primary's, for single-region readers");
            Assert.That(root.GetProperty("deployments").GetArrayLength(), Is.EqualTo(2));
            Assert.That(_gateway.Requests.Select(r => r.Headers["Authorization"]).Distinct(), Is.EqualTo(new[] { $"Bearer {GatewayToken}" }), "the gateway gets its own audience's token");
            Assert.That(_east.Requests.Select(r => r.Headers["Authorization"]).Distinct(), Is.EqualTo(new[] { $"Bearer {FakeAzureOpenAi.Token}" }));
        }
    }

    [Test]
    public async Task Probes_the_gateway_as_each_team_given_with_the_team_s_own_token()
    {
        const string supportToken = "support-team-token";
        _gateway.AlsoAccepted.Add(supportToken);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var tokens = new Dictionary<string, string>(Tokens) { ["AZURE_OPENAI_GATEWAY_TOKEN_SUPPORT_TEAM"] = supportToken };
        var environment = new ProbeEnvironment(name => tokens.GetValueOrDefault(name), new StringReader(Outputs()), output, error);
        var code = await ProbeCommand.RunAsync(["--outputs", "-", "--gateway-team", "support-team", "--json"], environment);
        using var report = JsonDocument.Parse(output.ToString());
        var endpoints = report.RootElement.GetProperty("endpoints").EnumerateArray().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero, error.ToString());
            Assert.That(endpoints.Select(e => (e.GetProperty("kind").GetString(), e.GetProperty("team").GetString())), Is.EqualTo(new (string?, string?)[]
            {
                ("account", null), ("account", null), ("gateway", null), ("gateway", "support-team"),
            }));
            Assert.That(endpoints[3].GetProperty("deployments").GetArrayLength(), Is.EqualTo(6), "each deployment through each API, as the team");
            Assert.That(_gateway.Requests.Count(r => r.Headers["Authorization"] == $"Bearer {supportToken}"), Is.EqualTo(6));
            Assert.That(output.ToString(), Does.Not.Contain(supportToken));
        }
    }

    [TestCase("support", "AZURE_OPENAI_GATEWAY_TOKEN_SUPPORT, which is not set", TestName = "A team without its token variable is a usage error naming the variable")]
    [TestCase("Support", "--gateway-team 'Support' is not a team name", TestName = "A team name the config would refuse is a usage error")]
    public async Task A_team_the_probe_cannot_act_as_is_one_line_and_exit_2(string team, string message)
    {
        var (code, output, error) = await Invoke(Outputs(), "--gateway-team", team);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error, Does.Contain(message));
            Assert.That(output, Is.Empty);
        }
    }

    [Test]
    public async Task A_team_for_a_stack_without_a_gateway_is_a_usage_error()
    {
        var (code, _, error) = await Invoke(Outputs(withGateway: false), "--gateway-team", "support");
        Assert.That((code, error.Trim()), Is.EqualTo((2, "probe: --gateway-team needs a gatewayEndpoint in the outputs: this stack has no gateway")));
    }

    [Test]
    public async Task Only_the_gateway_token_missing_names_the_gateway_variable_and_audience()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        // The accounts' token is set; the gateway's is not, and no one is logged in for its audience.
        var environment = new ProbeEnvironment(name => name == ProbeCommand.TokenVariable ? FakeAzureOpenAi.Token : null, new StringReader(Outputs()), output, error,
            new FailingCredential(new Azure.Identity.CredentialUnavailableException("DefaultAzureCredential failed to retrieve a token from the included credentials.")));
        var code = await ProbeCommand.RunAsync(["--outputs", "-"], environment);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error.ToString(), Does.StartWith("probe: no token for the gateway's audience api://contoso-openai-gateway"));
            Assert.That(error.ToString(), Does.Contain(ProbeCommand.GatewayTokenVariable));
            Assert.That(error.ToString(), Does.Not.Contain(ProbeCommand.TokenVariable + ","), "not the variable that is already set");
            Assert.That(error.ToString().TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        }
    }

    private sealed class FailingCredential(Exception failure) : Azure.Core.TokenCredential
    {
        public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) => throw failure;

        public override ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) => throw failure;
    }

    [Test]
    public async Task A_failing_region_fails_the_run_and_shows_which_region_the_gateway_used()
    {
        _east.NetworkBlockMessage = "Public access is disabled. Please configure private endpoint.";
        _gateway.Region = "West US 3";
        var (code, output, _) = await Invoke(Outputs());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1), "the exit code covers every endpoint");
            Assert.That(output, Does.Contain("== account in eastus2"));
            Assert.That(output, Does.Contain("== account in westus3"));
            Assert.That(output, Does.Contain("== gateway (the REGION column says which region served each call)"));
            Assert.That(output.Split("== gateway")[1], Does.Match(@"chat\s+pass\s+200\s+-\s+1\s+\d+ ms\s+\S+\s+West US 3"));
            Assert.That(output, Does.Contain("Answering in fewer than two regions: chat, chat-mini; failover has nowhere to go for them."));
        }
    }

    [Test]
    public async Task Outputs_with_regions_but_no_gateway_probe_each_region()
    {
        var (code, output, error) = await Invoke(Outputs(withGateway: false), "--json");
        using var report = JsonDocument.Parse(output);
        Assert.That(code, Is.Zero, error);
        Assert.That(Rows(report.RootElement).Select(r => r.Location).Distinct(), Is.EqualTo(new[] { "eastus2", "westus3" }));
    }

    [Test]
    public async Task Writes_a_markdown_section_per_endpoint_to_the_summary()
    {
        var summary = Path.GetTempFileName();
        try
        {
            var (code, _, error) = await Invoke(Outputs(), "--summary", summary);
            var markdown = await File.ReadAllTextAsync(summary);
            Assert.That(code, Is.Zero, error);
            Assert.That(markdown, Does.Contain("#### account in westus3"));
            Assert.That(markdown, Does.Contain("#### gateway"));
            Assert.That(markdown, Does.Contain("Every deployment answers in at least two regions"));
        }
        finally
        {
            File.Delete(summary);
        }
    }

    [TestCase("""{"endpoint":"https://x.openai.azure.com/","deployments":[{"name":"chat"}],"regions":{}}""", "'regions' must be a list")]
    [TestCase("""{"endpoint":"https://x.openai.azure.com/","deployments":[{"name":"chat"}],"regions":[{"endpoint":"https://y/"}]}""", "regions[0] has no 'location'")]
    [TestCase("""{"endpoint":"https://x.openai.azure.com/","deployments":[{"name":"chat"}],"gatewayEndpoint":"https://g.azure-api.net/"}""", "'gatewayAudience' must name the audience")]
    [TestCase("""{"endpoint":"https://x.openai.azure.com/","deployments":[{"name":"chat"}],"gatewayEndpoint":"not a url","gatewayAudience":"api://g"}""", "'gatewayEndpoint' must be the gateway URL")]
    public async Task Bad_multi_region_outputs_exit_2_naming_the_key(string outputs, string message)
    {
        var (code, output, error) = await Invoke(outputs);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain(message));
        Assert.That(output, Is.Empty);
    }
}
