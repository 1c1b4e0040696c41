using System.Net;
using System.Net.Sockets;

namespace AzureOpenAi.Probe.Tests;

/// <summary>
/// What a hostile or broken server cannot make the probe do: print a secret it was sent, follow it
/// somewhere else, or read without bound. Each ends in a verdict that says what happened.
/// </summary>
[TestFixture]
public sealed class ProbeTrustTests : ProbeFixture
{
    [Test]
    public async Task A_server_that_echoes_the_key_gets_it_printed_nowhere()
    {
        Script(_server, new FakeResponse(401, Envelope("401", "Access denied: key {credential} is not valid"), Echo: true));
        using var client = new ProbeClient(_server.Endpoint, ProbeCredential.FromKey(FakeAzureOpenAi.Key), Fast());
        var report = await client.ProbeAsync(["chat"]);
        var printed = ReportFormatter.ToTable(report) + ReportFormatter.ToJson(report) + ReportFormatter.ToMarkdown(report);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(printed, Does.Not.Contain(FakeAzureOpenAi.Key));
            Assert.That(report.Deployments[0].ErrorMessage, Is.EqualTo("Access denied: key [redacted] is not valid"));
            Assert.That(report.Deployments[0].RequestId, Is.EqualTo("[redacted]"));
            Assert.That(report.Deployments[0].Region, Is.EqualTo("[redacted]"));
        }
    }

    [Test]
    public async Task A_server_that_echoes_the_token_gets_it_printed_nowhere()
    {
        var token = FakeAzureOpenAi.Jwt(new { aud = "https://cognitiveservices.azure.com", oid = "0c7b0a34-0000-0000-0000-000000000001", exp = 4_102_444_800 });
        Script(_server, new FakeResponse(401, Envelope("PermissionDenied", "Principal with token {credential} lacks the role"), Echo: true));
        using var client = new ProbeClient(_server.Endpoint, ProbeCredential.FromAccessToken(token), Fast());
        var report = await client.ProbeAsync(["chat"]);
        var printed = ReportFormatter.ToTable(report) + ReportFormatter.ToJson(report) + ReportFormatter.ToMarkdown(report);
        Assert.That(printed, Does.Not.Contain(token).And.Not.Contain(token[..40]));
    }

    /// <summary>The key in the forms a hostile server can send it back in, each in an error message and as the model of a 200.</summary>
    private static IEnumerable<TestCaseData> KeyForms()
    {
        var key = FakeAzureOpenAi.Key;
        var forms = new (string Name, string Json)[]
        {
            ("JSON-escaped", string.Concat(key.Select(c => $"\\u{(int)c:x4}"))),
            ("upper-cased", key.ToUpperInvariant()),
            ("split by spaces", string.Join(' ', key.Chunk(5).Select(c => new string(c)))),
            ("base64", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key))),
        };
        foreach (var (name, json) in forms)
        {
            yield return new TestCaseData(401, $"{{\"error\":{{\"code\":\"401\",\"message\":\"Access denied: key {json} is not valid\"}}}}").SetName($"A key sent back {name} in an error message is printed nowhere");
            yield return new TestCaseData(200, $"{{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"{json}\",\"choices\":[{{\"index\":0,\"message\":{{\"role\":\"assistant\",\"content\":\"pong\"}}}}]}}").SetName($"A key sent back {name} as the served model is printed nowhere");
        }
    }

    [TestCaseSource(nameof(KeyForms))]
    public async Task A_key_in_any_form_is_printed_nowhere(int status, string body)
    {
        Script(_server, new FakeResponse(status, body));
        using var client = new ProbeClient(_server.Endpoint, ProbeCredential.FromKey(FakeAzureOpenAi.Key), Fast());
        var report = await client.ProbeAsync(["chat"]);
        var printed = ReportFormatter.ToTable(report) + ReportFormatter.ToJson(report) + ReportFormatter.ToMarkdown(report);
        var key = FakeAzureOpenAi.Key;
        using (Assert.EnterMultipleScope())
        {
            foreach (var form in new[] { key, key.ToUpperInvariant(), key[..12], Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key))[..16] })
            {
                Assert.That(printed.Replace(" ", "", StringComparison.Ordinal), Does.Not.Contain(form.Replace(" ", "", StringComparison.Ordinal)).IgnoreCase, form);
            }
        }
    }

    [Test]
    public async Task Terminal_escape_sequences_from_a_server_never_reach_the_report()
    {
        Script(_server, new FakeResponse(400, Envelope("BadRequest", "\u001b[2J\u001b[31mred\u0007 alert")));
        using var client = new ProbeClient(_server.Endpoint, ProbeCredential.FromKey(FakeAzureOpenAi.Key), Fast());
        var report = await client.ProbeAsync(["chat"]);
        var printed = ReportFormatter.ToTable(report) + ReportFormatter.ToJson(report) + ReportFormatter.ToMarkdown(report);
        Assert.That(printed.Any(c => char.IsControl(c) && c is not '\n' and not '\t' and not '\r'), Is.False);
        Assert.That(report.Deployments[0].ErrorMessage, Is.EqualTo("[2J[31mred alert"));
    }

    [Test]
    public async Task A_redirect_is_never_followed()
    {
        using var elsewhere = new TcpListener(IPAddress.Loopback, 0);
        elsewhere.Start();
        var target = $"http://127.0.0.1:{((IPEndPoint)elsewhere.LocalEndpoint).Port}/steal";
        Script(_server, new FakeResponse(307, "", new Dictionary<string, string> { ["Location"] = target }));
        var report = await ProbeOne(ProbeCredential.FromKey(FakeAzureOpenAi.Key));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Status, Is.EqualTo(307), "the redirect itself is the answer");
            Assert.That(report.Verdict, Is.EqualTo(Verdict.Unexpected));
            Assert.That(elsewhere.Pending(), Is.False, "nothing connected to where it pointed");
        }
    }

    [Test]
    public async Task An_answer_over_the_bound_is_not_read_whole_and_says_so()
    {
        Script(_server, new FakeResponse(200, "", StreamBytes: 64L << 20));
        var before = GC.GetTotalAllocatedBytes();
        var report = await ProbeOne(ProbeCredential.FromKey(FakeAzureOpenAi.Key));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Verdict, Is.EqualTo(Verdict.Unexpected));
            Assert.That(report.Hint, Does.Contain("over 1 MiB, not read whole"));
            Assert.That(GC.GetTotalAllocatedBytes() - before, Is.LessThan(32L << 20), "the 64 MiB answer is never held");
        }
    }

    [Test]
    public async Task An_answer_that_never_ends_is_not_called_unreachable()
    {
        Script(_server, new FakeResponse(200, "", StreamBytes: long.MaxValue));
        var report = await ProbeOne(ProbeCredential.FromKey(FakeAzureOpenAi.Key));
        Assert.That(report.Verdict, Is.EqualTo(Verdict.Unexpected), "the server answered: this is not a network problem");
    }

    [Test]
    public async Task A_settle_window_shorter_than_the_poll_interval_still_retries_once_at_its_end()
    {
        _server.AddDeployment("chat", new FakeDeployment { PropagatingCalls = 1 });
        var options = Fast();
        options.SettleInterval = TimeSpan.FromSeconds(10);
        options.SettleWindow = TimeSpan.FromMilliseconds(300);
        var report = await ProbeOne(ProbeCredential.FromKey(FakeAzureOpenAi.Key), options: options);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Verdict, Is.EqualTo(Verdict.Pass));
            Assert.That(report.Attempts, Is.EqualTo(2));
            Assert.That(WaitsOf(options), Has.Length.EqualTo(1).And.All.LessThanOrEqualTo(TimeSpan.FromMilliseconds(300)), "the wait is the window's rest, not the 10 s interval");
        }
    }
}
