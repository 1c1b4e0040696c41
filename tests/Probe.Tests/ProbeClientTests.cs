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
        yield return Case("gateway-unknown-caller", Verdict.RoleMissing, s => Script(s, new FakeResponse(403, Envelope("UnknownCaller", "The caller belongs to no team of this gateway; ask the platform team to add its application, group or subscription"))));
        yield return Case("gateway-deployment-not-allowed", Verdict.RoleMissing, s => Script(s, new FakeResponse(403, Envelope("DeploymentNotAllowed", "Team analytics may not call deployment chat"))));
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
        var report = await ProbeOne(ProbeCredential.FromAccessToken(FakeAzureOpenAi.Token), options: new ProbeClientOptions { Apis = [ProbeApi.V1] });
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
        var report = await ProbeOne(ProbeCredential.FromKey(FakeAzureOpenAi.Key), options: new ProbeClientOptions { Apis = [ProbeApi.V1] });
        Assert.That(report.Verdict, Is.EqualTo(Verdict.DeploymentNotFound));
    }

    [Test]
    public async Task Uses_the_Responses_API_with_the_deployment_as_model_and_the_smallest_output_it_takes()
    {
        _server.AddDeployment("chat", new FakeDeployment { Model = "gpt-5.5-2026-04-24" });
        var report = await ProbeOne(ProbeCredential.FromKey(FakeAzureOpenAi.Key), options: new ProbeClientOptions { Apis = [ProbeApi.Responses] });
        var request = _server.Requests.Single();
        using var body = JsonDocument.Parse(request.Body);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((report.Verdict, report.Api, report.ServedModel), Is.EqualTo((Verdict.Pass, ProbeApi.Responses, "gpt-5.5-2026-04-24")));
            Assert.That(request.Path, Is.EqualTo("/openai/v1/responses"));
            Assert.That(request.Query, Is.Empty);
            Assert.That(body.RootElement.GetProperty("model").GetString(), Is.EqualTo("chat"));
            Assert.That(body.RootElement.GetProperty("input").GetString(), Is.Not.Empty);
            Assert.That(body.RootElement.GetProperty("max_output_tokens").GetInt32(), Is.EqualTo(16));
            Assert.That(body.RootElement.TryGetProperty("messages", out _), Is.False);
        }
    }

    [Test]
    public async Task A_chat_completion_where_a_response_belongs_is_not_a_pass()
    {
        Script(_server, new FakeResponse(200, """{"object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"pong"}}]}"""));
        var report = await ProbeOne(ProbeCredential.FromKey(FakeAzureOpenAi.Key), options: new ProbeClientOptions { Apis = [ProbeApi.Responses] });
        Assert.That((report.Verdict, report.Hint), Is.EqualTo((Verdict.Unexpected, "HTTP 200 without a response in the body: something other than Azure OpenAI answered (a proxy or gateway?); check the endpoint URL.")));
    }

    [Test]
    public async Task Probes_each_deployment_through_each_API_asked_one_row_each_in_order()
    {
        _server.AddDeployment("chat");
        _server.AddDeployment("mini");
        using var client = new ProbeClient(_server.Endpoint, ProbeCredential.FromKey(FakeAzureOpenAi.Key), new ProbeClientOptions { Apis = [ProbeApi.Dated, ProbeApi.V1, ProbeApi.Responses] });
        var report = await client.ProbeAsync(["chat", "mini"]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Deployments.Select(d => $"{d.Name} {d.Api} {d.Verdict}"), Is.EqualTo(new[]
            {
                "chat Dated Pass", "chat V1 Pass", "chat Responses Pass", "mini Dated Pass", "mini V1 Pass", "mini Responses Pass",
            }));
            Assert.That(_server.Requests.Select(r => r.Path).Order(), Is.EqualTo(new[]
            {
                "/openai/deployments/chat/chat/completions", "/openai/deployments/mini/chat/completions", "/openai/v1/chat/completions", "/openai/v1/chat/completions", "/openai/v1/responses", "/openai/v1/responses",
            }));
            Assert.That(ReportFormatter.ToJson(report), Does.Contain("\"api\": \"responses\""));
        }
    }

    [Test]
    public async Task Reports_a_gateway_team_s_remaining_tokens_and_quota()
    {
        _server.AddDeployment("chat");
        _server.GatewayRemaining = new Dictionary<string, string> { ["x-gateway-remaining-tokens"] = "39987", ["x-gateway-remaining-quota-tokens"] = "199999987" };
        using var client = new ProbeClient(_server.Endpoint, ProbeCredential.FromKey(FakeAzureOpenAi.Key), new ProbeClientOptions { Apis = [ProbeApi.V1] });
        var report = await client.ProbeAsync(["chat"]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((report.Deployments[0].GatewayRemainingTokens, report.Deployments[0].GatewayRemainingQuotaTokens), Is.EqualTo(("39987", "199999987")));
            Assert.That(ReportFormatter.ToTable(report), Does.Contain("    team's tokens left: 39987 this minute, 199999987 this period"));
            Assert.That(ReportFormatter.ToMarkdown(report), Does.Contain("39987 this minute, 199999987 this period"));
        }
    }

    [TestCase(new ProbeApi[0], TestName = "No API to probe through is refused")]
    [TestCase(new[] { ProbeApi.V1, ProbeApi.V1 }, TestName = "An API named twice is refused")]
    [TestCase(new[] { (ProbeApi)7 }, TestName = "An API that does not exist is refused")]
    public void Refuses_an_API_list_that_names_none_twice_or_an_unknown_one(ProbeApi[] apis)
    {
        var error = Assert.Throws<ArgumentException>(() => new ProbeClient(_server.Endpoint, ProbeCredential.FromKey(FakeAzureOpenAi.Key), new ProbeClientOptions { Apis = apis }))!;
        Assert.That(error.ParamName, Is.EqualTo("Apis"));
    }

    [Test]
    public async Task A_caller_the_gateway_places_in_no_team_is_told_which_setting_adds_it()
    {
        Script(_server, new FakeResponse(403, Envelope("UnknownCaller", "The caller belongs to no team of this gateway")));
        var report = await ProbeOne(ProbeCredential.FromKey(FakeAzureOpenAi.Key));
        Assert.That((report.Verdict, report.Hint), Is.EqualTo((Verdict.RoleMissing, "The gateway places this caller in no team: add its application's client id (or a group it is in) to a team in aoai:gateway.teams; the deploy identity needs one to probe.")));
    }
}
