using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace AzureOpenAi.Probe.Tests;

[TestFixture]
[CancelAfter(20_000)]
public sealed class ProbeClientTests
{
    private FakeAzureOpenAi _server = null!;

    [SetUp]
    public async Task StartServer() => _server = await FakeAzureOpenAi.StartAsync();

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private static ProbeClientOptions Fast() => new() { MaxRetryDelay = TimeSpan.FromMilliseconds(50), SettleInterval = TimeSpan.FromMilliseconds(50), AttemptTimeout = TimeSpan.FromSeconds(5) };

    private async Task<DeploymentReport> ProbeOne(ProbeCredential credential, string deployment = "chat", ProbeClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var client = new ProbeClient(_server.Endpoint, credential, options ?? Fast());
        var report = await client.ProbeAsync([deployment], cancellationToken);
        return report.Deployments.Single();
    }

    private static string Envelope(string code, string message, object? inner = null) =>
        JsonSerializer.Serialize(new { error = new { code, message, innererror = inner } });

    /// <summary>Each case configures the fake, probes one deployment and expects one verdict (Contract 3).</summary>
    public static IEnumerable<TestCaseData> VerdictCases()
    {
        yield return Case("pass", Verdict.Pass, s => s.AddDeployment("chat"));
        yield return Case("pass-with-token", Verdict.Pass, s => s.AddDeployment("chat"), ProbeCredential.FromAccessToken(FakeAzureOpenAi.Token));
        yield return Case("throttled", Verdict.Throttled, s => Script(s, Repeat(4, new FakeResponse(429, Envelope("429", "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit. Please retry after 1 second."), new Dictionary<string, string> { ["retry-after-ms"] = "10" })).ToArray()));
        yield return Case("key-rejected", Verdict.KeyRejected, s => s.AddDeployment("chat"), ProbeCredential.FromKey("wrong-key"));
        yield return Case("token-rejected", Verdict.TokenRejected, s => s.AddDeployment("chat"), ProbeCredential.FromAccessToken("expired-token"));
        yield return Case("role-missing", Verdict.RoleMissing, s => s.AddDeployment("chat"), ProbeCredential.FromAccessToken(FakeAzureOpenAi.TokenWithoutRole));
        yield return Case("key-auth-disabled", Verdict.KeyAuthDisabled, s => { s.AddDeployment("chat"); s.LocalAuthDisabled = true; });
        yield return Case("public-access-disabled", Verdict.NetworkBlocked, s => { s.AddDeployment("chat"); s.NetworkBlockMessage = "Public access is disabled. Please configure private endpoint."; });
        yield return Case("firewall", Verdict.NetworkBlocked, s => { s.AddDeployment("chat"); s.NetworkBlockMessage = "Access denied due to Virtual Network/Firewall rules."; });
        yield return Case("private-endpoint-not-approved", Verdict.NetworkBlocked, s => { s.AddDeployment("chat"); s.NetworkBlockMessage = "Traffic is not from an approved private endpoint."; });
        yield return Case("deployment-not-found", Verdict.DeploymentNotFound, s => s.AddDeployment("other"));
        yield return Case("wrong-operation", Verdict.WrongOperation, s => s.AddDeployment("chat", new FakeDeployment { Model = "text-embedding-3-large", IsChat = false }));
        yield return Case("content-filtered-innererror", Verdict.ContentFiltered, s => Script(s, new FakeResponse(400, Envelope("content_filter", "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.", new { code = "ResponsibleAIPolicyViolation", content_filter_result = new { } }))));
        yield return Case("content-filtered-inner_error", Verdict.ContentFiltered, s => Script(s, new FakeResponse(400, """{"error":{"code":"content_filter","message":"filtered","param":"prompt","inner_error":{"code":"ResponsibleAIPolicyViolation","content_filter_results":{}}}}""")));
        yield return Case("server-error", Verdict.ServerError, s => Script(s, Repeat(4, new FakeResponse(500, Envelope("InternalServerError", "The server had an error processing your request."))).ToArray()));
        yield return Case("server-error-html-from-proxy", Verdict.ServerError, s => Script(s, Repeat(4, new FakeResponse(502, "<html><body>502 Bad Gateway</body></html>")).ToArray()));
        yield return Case("unexpected-malformed-json", Verdict.Unexpected, s => Script(s, new FakeResponse(200, "{\"choices\": [")));
        yield return Case("unexpected-empty-200", Verdict.Unexpected, s => Script(s, new FakeResponse(200, "")));
        yield return Case("unexpected-html-403", Verdict.Unexpected, s => Script(s, new FakeResponse(418, "<html>I'm a teapot</html>")));
    }

    private static IEnumerable<FakeResponse> Repeat(int count, FakeResponse response) => Enumerable.Repeat(response, count);

    private static void Script(FakeAzureOpenAi server, params FakeResponse[] responses)
    {
        var deployment = server.AddDeployment("chat");
        foreach (var response in responses)
        {
            deployment.Script.Enqueue(response);
        }
    }

    private static TestCaseData Case(string name, Verdict expected, Action<FakeAzureOpenAi> arrange, ProbeCredential? credential = null) =>
        new TestCaseData(arrange, credential ?? ProbeCredential.FromKey(FakeAzureOpenAi.Key)).Returns(expected).SetName($"Verdict_{name}");

    [TestCaseSource(nameof(VerdictCases))]
    public async Task<Verdict> Classifies_the_answer(Action<FakeAzureOpenAi> arrange, ProbeCredential credential)
    {
        arrange(_server);
        var report = await ProbeOne(credential);
        Assert.That(report.Hint, Is.Not.Empty);
        return report.Verdict;
    }

    [Test]
    public async Task Pass_reports_status_model_region_request_ids_and_quota()
    {
        _server.AddDeployment("chat", new FakeDeployment { Model = "gpt-4o-mini-2024-07-18" });
        var report = await ProbeOne(ProbeCredential.FromKey(FakeAzureOpenAi.Key));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Verdict, Is.EqualTo(Verdict.Pass));
            Assert.That(report.Status, Is.EqualTo(200));
            Assert.That(report.ServedModel, Is.EqualTo("gpt-4o-mini-2024-07-18"));
            Assert.That(report.Region, Is.EqualTo("East US"));
            Assert.That(Guid.TryParse(report.ApimRequestId, out _), Is.True);
            Assert.That(Guid.TryParse(report.RequestId, out _), Is.True);
            Assert.That(report.RemainingRequests, Is.EqualTo("99"));
            Assert.That(report.RemainingTokens, Is.EqualTo("9984"));
            Assert.That(report.Attempts, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Sends_a_payload_every_chat_model_accepts_on_the_classic_path()
    {
        _server.AddDeployment("my chat");
        var report = await ProbeOne(ProbeCredential.FromKey(FakeAzureOpenAi.Key), "my chat", new ProbeClientOptions { ApiVersion = "2025-04-01-preview" });
        var request = _server.Requests.Single();
        using var body = JsonDocument.Parse(request.Body);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Verdict, Is.EqualTo(Verdict.Pass));
            Assert.That(request.Path, Is.EqualTo("/openai/deployments/my chat/chat/completions"));
            Assert.That(request.Query, Is.EqualTo("?api-version=2025-04-01-preview"));
            Assert.That(request.Headers["api-key"], Is.EqualTo(FakeAzureOpenAi.Key));
            Assert.That(request.Headers.ContainsKey("Authorization"), Is.False);
            Assert.That(body.RootElement.GetProperty("max_completion_tokens").GetInt32(), Is.GreaterThanOrEqualTo(16));
            Assert.That(body.RootElement.TryGetProperty("max_tokens", out _), Is.False);
            Assert.That(body.RootElement.TryGetProperty("temperature", out _), Is.False);
            Assert.That(body.RootElement.TryGetProperty("model", out _), Is.False);
        }
    }

    [Test]
    public async Task Uses_the_v1_path_with_the_deployment_in_the_body_and_a_bearer_token()
    {
        _server.AddDeployment("chat");
        var report = await ProbeOne(ProbeCredential.FromAccessToken(FakeAzureOpenAi.Token), options: new ProbeClientOptions { UseV1Path = true });
        var request = _server.Requests.Single();
        using var body = JsonDocument.Parse(request.Body);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Verdict, Is.EqualTo(Verdict.Pass));
            Assert.That(request.Path, Is.EqualTo("/openai/v1/chat/completions"));
            Assert.That(request.Query, Is.Empty);
            Assert.That(request.Headers["Authorization"], Is.EqualTo($"Bearer {FakeAzureOpenAi.Token}"));
            Assert.That(body.RootElement.GetProperty("model").GetString(), Is.EqualTo("chat"));
        }
    }

    [Test]
    public async Task V1_reports_a_missing_deployment_like_the_classic_path()
    {
        _server.AddDeployment("other");
        var report = await ProbeOne(ProbeCredential.FromKey(FakeAzureOpenAi.Key), options: new ProbeClientOptions { UseV1Path = true });
        Assert.That(report.Verdict, Is.EqualTo(Verdict.DeploymentNotFound));
    }

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
            Assert.That(report.ElapsedMs, Is.LessThan(5_000));
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
    public async Task Reports_timeout_when_no_answer_comes_within_the_attempt_timeout()
    {
        _server.AddDeployment("chat", new FakeDeployment { Latency = TimeSpan.FromSeconds(3) });
        var report = await ProbeOne(ProbeCredential.FromKey(FakeAzureOpenAi.Key), options: new ProbeClientOptions { AttemptTimeout = TimeSpan.FromMilliseconds(200) });
        Assert.That(report.Verdict, Is.EqualTo(Verdict.Timeout));
    }

    [Test]
    public async Task Reports_unreachable_when_nothing_listens()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new ProbeClient(new Uri($"http://127.0.0.1:{port}/"), ProbeCredential.FromKey("k"), Fast());
        var report = await client.ProbeAsync(["chat", "chat-mini"]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Deployments.Select(d => d.Verdict), Is.All.EqualTo(Verdict.Unreachable));
            Assert.That(report.Deployments[0].Hint, Does.StartWith($"Could not connect to 127.0.0.1:{port}"));
            Assert.That(report.Deployments[0].Attempts, Is.Zero, "the connection stage failed before any HTTP attempt");
        }
    }

    [Test]
    public async Task Reports_a_failed_TLS_handshake_before_sending_anything()
    {
        _server.AddDeployment("chat");
        // The fake speaks plain HTTP, so a TLS client hello on its port cannot succeed.
        using var client = new ProbeClient(new Uri($"https://127.0.0.1:{_server.Endpoint.Port}/"), ProbeCredential.FromKey(FakeAzureOpenAi.Key), Fast());
        var report = await client.ProbeAsync(["chat"]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Deployments.Single().Verdict, Is.EqualTo(Verdict.Unreachable));
            Assert.That(report.Deployments.Single().Hint, Does.StartWith("TLS handshake with 127.0.0.1 failed"));
            Assert.That(_server.Requests, Is.Empty, "no request, so no key, went out");
        }
    }

    [Test]
    public async Task Probes_deployments_concurrently()
    {
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            _server.AddDeployment(name, new FakeDeployment { Latency = TimeSpan.FromMilliseconds(300) });
        }
        using var client = new ProbeClient(_server.Endpoint, ProbeCredential.FromKey(FakeAzureOpenAi.Key), Fast());
        var report = await client.ProbeAsync(["a", "b", "c", "d"]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Deployments.Select(d => d.Name), Is.EqualTo(new[] { "a", "b", "c", "d" }), "reports keep the order asked");
            Assert.That(report.Healthy, Is.True);
            Assert.That(_server.MaxConcurrentRequests, Is.GreaterThanOrEqualTo(2), "the fake saw overlapping requests");
        }
    }

    [Test]
    public async Task A_public_DNS_answer_for_a_private_account_is_network_blocked_without_a_call()
    {
        _server.AddDeployment("chat");
        var endpoint = new Uri($"http://localhost:{_server.Endpoint.Port}/");
        var options = Fast();
        options.ExpectPrivateNetwork = true;
        options.Resolver = new StaticResolver(IPAddress.Parse("20.62.1.10"));
        using var client = new ProbeClient(endpoint, ProbeCredential.FromKey(FakeAzureOpenAi.Key), options);
        var report = await client.ProbeAsync(["chat"]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Dns.Private, Is.False);
            Assert.That(report.Deployments.Single().Verdict, Is.EqualTo(Verdict.NetworkBlocked));
            Assert.That(report.Deployments.Single().Hint, Does.Contain("resolves to public 20.62.1.10").And.Contain("privatelink.openai.azure.com"));
            Assert.That(_server.Requests, Is.Empty);
        }
    }

    [Test]
    public async Task A_private_DNS_answer_for_a_private_account_goes_on_to_the_call()
    {
        _server.AddDeployment("chat");
        var options = Fast();
        options.ExpectPrivateNetwork = true;
        options.Resolver = new StaticResolver(IPAddress.Loopback);
        using var client = new ProbeClient(new Uri($"http://localhost:{_server.Endpoint.Port}/"), ProbeCredential.FromKey(FakeAzureOpenAi.Key), options);
        var report = await client.ProbeAsync(["chat"]);
        Assert.That(report.Deployments.Single().Verdict, Is.EqualTo(Verdict.Pass));
    }

    [Test]
    public async Task A_name_that_does_not_resolve_is_unreachable()
    {
        var options = Fast();
        options.Resolver = new FailingResolver();
        using var client = new ProbeClient(new Uri($"http://localhost:{_server.Endpoint.Port}/"), ProbeCredential.FromKey(FakeAzureOpenAi.Key), options);
        var report = await client.ProbeAsync(["chat", "chat-mini"]);
        Assert.That(report.Deployments.Select(d => d.Verdict), Is.All.EqualTo(Verdict.Unreachable));
    }

    [TestCase("http://contoso.openai.azure.com/")]
    [TestCase("http://10.0.0.4/")]
    [TestCase("ftp://127.0.0.1/")]
    public void Refuses_to_send_credentials_in_clear_text_off_this_machine(string endpoint)
    {
        Assert.That(() => new ProbeClient(new Uri(endpoint), ProbeCredential.FromKey("k")), Throws.ArgumentException.With.Message.Contains("not https"));
    }

    [TestCase("https://contoso.openai.azure.com/")]
    [TestCase("http://127.0.0.1:8080/")]
    [TestCase("http://localhost:8080/")]
    [TestCase("http://[::1]:8080/")]
    public void Accepts_https_and_loopback_http(string endpoint)
    {
        Assert.That(() => ProbeClient.CheckTransport(new Uri(endpoint)), Throws.Nothing);
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

    private sealed class StaticResolver(IPAddress address) : IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Task.FromResult(new[] { address });
    }

    private sealed class FailingResolver : IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => throw new SocketException((int)SocketError.HostNotFound);
    }
}
