using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace AzureOpenAi.Probe.Tests;

/// <summary>What each answer means (every verdict of Contract 3) and what the probe sends.</summary>
[TestFixture]
public sealed class ProbeClientTests : ProbeFixture
{
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
}
