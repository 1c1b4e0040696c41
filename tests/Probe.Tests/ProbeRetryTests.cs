using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace AzureOpenAi.Probe.Tests;

/// <summary>Bounded patience: retries of 429 and 5xx, the settle window, and the credential stage.</summary>
[TestFixture]
public sealed class ProbeRetryTests : ProbeFixture
{
    [Test]
    public async Task Retries_429_honouring_retry_after_ms_then_passes()
    {
        var deployment = _server.AddDeployment("chat");
        var throttled = new FakeResponse(429, Envelope("429", "Rate limit"), new Dictionary<string, string> { ["retry-after-ms"] = "20" });
        deployment.Script.Enqueue(throttled);
        deployment.Script.Enqueue(throttled);
        var report = await ProbeOne(ProbeCredential.FromKey(FakeAzureOpenAi.Key), options: new ProbeClientOptions { MaxRetryDelay = TimeSpan.FromSeconds(5) });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Verdict, Is.EqualTo(Verdict.Pass));
            Assert.That(report.Attempts, Is.EqualTo(3));
            Assert.That(_server.Requests, Has.Count.EqualTo(3));
        }
    }

    [Test]
    public async Task Caps_a_long_retry_after_and_stops_after_MaxRetries()
    {
        var deployment = _server.AddDeployment("chat");
        for (var i = 0; i < 10; i++)
        {
            deployment.Script.Enqueue(new FakeResponse(429, Envelope("429", "Please retry after 86400 seconds."), new Dictionary<string, string> { ["retry-after"] = "86400" }));
        }
        var options = Fast();
        options.MaxRetries = 2;
        var report = await ProbeOne(ProbeCredential.FromKey(FakeAzureOpenAi.Key), options: options);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Verdict, Is.EqualTo(Verdict.Throttled));
            Assert.That(report.Attempts, Is.EqualTo(3), "one call plus MaxRetries retries");
            // A day of retry-after capped to 50 ms per retry: the whole probe is bounded.
            Assert.That(WaitsOf(options), Is.EqualTo(new[] { TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50) }));
        }
    }

    [TestCase("retry-after-ms", "1e308", 50)]
    [TestCase("retry-after-ms", "Infinity", 50)]
    [TestCase("retry-after-ms", "NaN", 50)]
    [TestCase("retry-after", "1e308", 50)]
    public async Task A_retry_after_that_is_no_wait_is_a_verdict_never_a_crash(string header, string value, int waitMs)
    {
        var deployment = _server.AddDeployment("chat");
        deployment.Script.Enqueue(new FakeResponse(429, Envelope("429", "slow down"), new Dictionary<string, string> { [header] = value }));
        var options = Fast();
        var report = await ProbeOne(ProbeCredential.FromKey(FakeAzureOpenAi.Key), options: options);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Verdict, Is.EqualTo(Verdict.Pass), "the retry after the 429 answers");
            // Capped at MaxRetryDelay (50 ms here), or the first backoff (1 s) capped the same way when the value is no wait.
            Assert.That(WaitsOf(options), Is.EqualTo(new[] { TimeSpan.FromMilliseconds(waitMs) }));
        }
    }

    [Test]
    public async Task Does_not_retry_a_client_error()
    {
        _server.AddDeployment("chat", new FakeDeployment { IsChat = false });
        var report = await ProbeOne(ProbeCredential.FromKey(FakeAzureOpenAi.Key));
        Assert.That(report.Attempts, Is.EqualTo(1));
    }

    [Test]
    public async Task Waits_out_a_propagating_deployment_within_the_settle_window()
    {
        _server.AddDeployment("chat", new FakeDeployment { PropagatingCalls = 2 });
        var options = Fast();
        options.SettleWindow = TimeSpan.FromSeconds(5);
        var report = await ProbeOne(ProbeCredential.FromKey(FakeAzureOpenAi.Key), options: options);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Verdict, Is.EqualTo(Verdict.Pass));
            Assert.That(report.Attempts, Is.EqualTo(3));
        }
    }

    [Test]
    public async Task Gives_up_on_a_missing_deployment_when_the_settle_window_ends()
    {
        _server.AddDeployment("other");
        var options = Fast();
        options.SettleWindow = TimeSpan.FromMilliseconds(300);
        options.SettleInterval = TimeSpan.FromMilliseconds(100);
        var report = await ProbeOne(ProbeCredential.FromKey(FakeAzureOpenAi.Key), options: options);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Verdict, Is.EqualTo(Verdict.DeploymentNotFound));
            // Attempts fit the window: at most window / interval + 1.
            Assert.That(report.Attempts, Is.InRange(2, 4));
        }
    }

    [Test]
    public async Task Without_a_settle_window_a_missing_role_is_reported_at_once()
    {
        _server.AddDeployment("chat");
        var report = await ProbeOne(ProbeCredential.FromAccessToken(FakeAzureOpenAi.TokenWithoutRole));
        Assert.That(report, Has.Property(nameof(DeploymentReport.Verdict)).EqualTo(Verdict.RoleMissing).And.Property(nameof(DeploymentReport.Attempts)).EqualTo(1));
    }

    [Test]
    public async Task Names_the_identity_whose_role_is_missing()
    {
        _server.AddDeployment("chat");
        using var client = new ProbeClient(_server.Endpoint, ProbeCredential.FromAccessToken(FakeAzureOpenAi.TokenWithoutRole), Fast());
        var report = await client.ProbeAsync(["chat"]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Token, Is.EqualTo(new TokenIdentity("https://cognitiveservices.azure.com", FakeAzureOpenAi.PrincipalWithoutRole, "72f988bf-0000-0000-0000-000000000000", DateTimeOffset.FromUnixTimeSeconds(4_102_444_800))));
            Assert.That(report.Deployments.Single().Verdict, Is.EqualTo(Verdict.RoleMissing));
            Assert.That(report.Deployments.Single().Hint, Does.EndWith($"The token is for object id {FakeAzureOpenAi.PrincipalWithoutRole} (tenant 72f988bf-0000-0000-0000-000000000000)."));
        }
    }

    [Test]
    public async Task Says_when_a_rejected_token_has_the_wrong_audience()
    {
        _server.AddDeployment("chat");
        var wrongAudience = FakeAzureOpenAi.Jwt(new { aud = "https://management.azure.com/", oid = "x", exp = 4_102_444_800 });
        var report = await ProbeOne(ProbeCredential.FromAccessToken(wrongAudience));
        Assert.That(report.Verdict, Is.EqualTo(Verdict.TokenRejected));
        Assert.That(report.Hint, Does.EndWith("This token's audience is https://management.azure.com."));
    }

    [Test]
    public async Task Gets_an_Entra_token_once_for_the_cognitive_services_scope()
    {
        _server.AddDeployment("chat");
        _server.AddDeployment("chat-mini");
        var credential = new RecordingCredential(FakeAzureOpenAi.Token);
        using var client = new ProbeClient(_server.Endpoint, ProbeCredential.FromTokenCredential(credential), Fast());
        var report = await client.ProbeAsync(["chat", "chat-mini"]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Healthy, Is.True);
            Assert.That(credential.Scopes, Is.EqualTo(new[] { "https://cognitiveservices.azure.com/.default" }));
        }
    }

    [Test]
    public void Says_when_no_credential_is_available_and_calls_nothing()
    {
        _server.AddDeployment("chat");
        using var client = new ProbeClient(_server.Endpoint, ProbeCredential.FromTokenCredential(new RecordingCredential(null)), Fast());
        Assert.That(async () => await client.ProbeAsync(["chat"]),
            Throws.TypeOf<ProbeCredentialException>().With.Message.EqualTo("Could not get an Entra ID token: not logged in (az login)"));
        Assert.That(_server.Requests, Is.Empty);
    }

    [TestCase("not-a-jwt")]
    [TestCase("a.%%%.c")]
    [TestCase("a.bm90IGpzb24.c")]
    public void Opaque_tokens_have_no_identity(string token)
    {
        Assert.That(TokenIdentity.FromJwt(token), Is.Null);
    }

    [Test]
    public void Credentials_never_show_their_secret()
    {
        Assert.That(ProbeCredential.FromKey(FakeAzureOpenAi.Key).ToString(), Is.EqualTo("Key credential"));
        Assert.That(ProbeCredential.FromAccessToken(FakeAzureOpenAi.Token).ToString(), Is.EqualTo("Entra credential"));
    }

    /// <summary>A TokenCredential that hands out one token (or fails like an unauthenticated DefaultAzureCredential).</summary>
    private sealed class RecordingCredential(string? token) : Azure.Core.TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return token is null
                ? throw new Azure.Identity.CredentialUnavailableException("not logged in (az login)")
                : ValueTask.FromResult(new Azure.Core.AccessToken(token, DateTimeOffset.UtcNow.AddHours(1)));
        }
    }

    [Test]
    public async Task Names_the_deployment_that_answered_when_a_call_spilled_over()
    {
        var body = """{"id":"x","object":"chat.completion","model":"gpt-5.4-2026-03-05","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"pong"}}]}""";
        Script(_server, new FakeResponse(200, body, new Dictionary<string, string> { ["x-ms-deployment-name"] = "chat", ["x-ms-spillover-from-deployment"] = "ptu", ["x-ms-spillover-error"] = "429" }));
        using var client = new ProbeClient(_server.Endpoint, ProbeCredential.FromKey(FakeAzureOpenAi.Key), Fast());
        var report = await client.ProbeAsync(["chat"]);
        var d = report.Deployments.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(d.Verdict, Is.EqualTo(Verdict.Pass));
            Assert.That(d.ServedBy, Is.EqualTo("chat"));
            Assert.That(d.SpilledOverFrom, Is.EqualTo("ptu (429)"));
            Assert.That(ReportFormatter.ToTable(report), Does.Contain("    served by chat, spilled over from ptu (429)"));
            Assert.That(ReportFormatter.ToJson(report), Does.Contain("\"spilledOverFrom\": \"ptu (429)\""));
        }
    }
}
