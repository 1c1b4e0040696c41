using System.Text.Json;
using System.Text.Json.Nodes;
using System.Net;
using System.Net.Sockets;

namespace AzureOpenAi.Preflight.Tests;

/// <summary>
/// What a hostile or broken ARM cannot make the preflight do: send its token to another host (a
/// nextLink or a redirect elsewhere), or read an answer without bound. Each is a check-failed row.
/// </summary>
[TestFixture]
public sealed class ArmTrustTests : PreflightFixture
{
    /// <summary>A loopback listener that only counts who connects: the "elsewhere" a token must never reach.</summary>
    private sealed class Elsewhere : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private int _connections;

        public Elsewhere()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/subscriptions/steal");

        public int Connections => Volatile.Read(ref _connections);

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    using var client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
                    Interlocked.Increment(ref _connections);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Stopped with the test.
            }
        }

        public void Dispose() => _listener.Stop();
    }

    [Test]
    public async Task A_nextLink_to_another_host_is_not_followed_and_gets_nothing()
    {
        using var elsewhere = new Elsewhere();
        _arm.Queue("/models", new FakeAnswer(200, new { value = Array.Empty<object>(), nextLink = elsewhere.Url.AbsoluteUri }));
        var report = await Run();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Row(report, "region", "eastus2").Verdict, Is.EqualTo("check-failed"));
            Assert.That(Row(report, "region", "eastus2").Detail, Does.Contain("nextLink is not on " + _arm.Endpoint.GetLeftPart(UriPartial.Authority)));
            Assert.That(elsewhere.Connections, Is.Zero, "not one connection, so no token");
        }
    }

    [Test]
    public async Task A_redirect_is_never_followed()
    {
        using var elsewhere = new Elsewhere();
        _arm.Queue("/providers/Microsoft.CognitiveServices", new FakeAnswer(302, null, new Dictionary<string, string> { ["Location"] = elsewhere.Url.AbsoluteUri }));
        var report = await Run();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Row(report, "provider", "Microsoft.CognitiveServices").Verdict, Is.EqualTo("check-failed"));
            Assert.That(elsewhere.Connections, Is.Zero);
        }
    }

    [Test]
    public async Task An_answer_past_the_bound_is_not_read_whole()
    {
        _arm.Queue("/models", new FakeAnswer(200, null, StreamBytes: 48L << 20));
        // Time enough for any machine to read 32 MiB: only the byte bound may end this read.
        var options = Options();
        options.CallTimeout = TimeSpan.FromSeconds(25);
        var before = GC.GetTotalAllocatedBytes();
        var report = await Run(options: options);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Row(report, "region", "eastus2").Verdict, Is.EqualTo("check-failed"));
            Assert.That(Row(report, "region", "eastus2").Detail, Does.Contain("answer over 32 MiB, not read whole"));
            // The fake's 48 MiB are never held: the 32 MiB bound and its buffer growth are. (What the fake
            // wrote says nothing: a server's writes to a connection the client dropped still complete.)
            Assert.That(GC.GetTotalAllocatedBytes() - before, Is.LessThan(160L << 20));
        }
    }

    [Test]
    public async Task An_answer_that_never_ends_is_cut_off_by_the_call_timeout()
    {
        // The body starts and never goes on: a byte bound cannot end this, only the call's timeout.
        _arm.Queue("/models", new FakeAnswer(200, null, Stall: true));
        var options = Options();
        options.CallTimeout = TimeSpan.FromSeconds(2);
        var report = await Run(options: options);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Row(report, "region", "eastus2").Verdict, Is.EqualTo("check-failed"));
            Assert.That(Row(report, "region", "eastus2").Detail, Does.Contain("did not finish within 2 s"));
        }
    }

    /// <summary>Answers of shapes ARM does not give, on each path the preflight reads.</summary>
    private static IEnumerable<TestCaseData> Malformed()
    {
        var bodies = new (string Name, FakeAnswer Answer)[]
        {
            ("an array", new FakeAnswer(200, null, RawBody: "[]")),
            ("an empty body", new FakeAnswer(200, null, RawBody: "")),
            ("a string", new FakeAnswer(200, null, RawBody: "\"oai-contoso-prod\"")),
            ("non-object items", new FakeAnswer(200, null, RawBody: "{\"value\":[1,\"x\",null,[]],\"name\":7,\"kind\":[],\"properties\":\"x\"}")),
        };
        foreach (var path in new[] { "/usages", "/models", "/accounts/oai-contoso-prod", "/deletedAccounts/oai-contoso-prod", "/providers/Microsoft.CognitiveServices" })
        {
            foreach (var (name, answer) in bodies)
            {
                yield return new TestCaseData(path, answer).SetName($"ARM answering {name} at {path} is a report, never a crash");
            }
        }
    }

    [TestCaseSource(nameof(Malformed))]
    public async Task A_malformed_answer_is_a_report_never_a_crash(string path, FakeAnswer answer)
    {
        _arm.Queue(path, answer);
        var report = await Run();
        Assert.That(report.Checks, Is.Not.Empty);
        // Whatever the shape, a row says so, or the row reads around it; nothing is thrown.
        Assert.That(report.Checks.All(c => c.Verdict.Length > 0 && c.Detail.Length > 0), Is.True);
    }

    /// <summary>Capacity rules of shapes ARM does not give, for the chat deployment (gpt-4o at capacity 100).</summary>
    private static IEnumerable<TestCaseData> CapacityRules()
    {
        yield return new TestCaseData("{\"allowedValues\":[1.5]}", "capacity-invalid", "none a whole number").SetName("Allowed capacities that are not whole numbers are a capacity row, never a crash");
        yield return new TestCaseData("{\"allowedValues\":[1.5,\"100\",1e308,100]}", "ok", "offered as DataZoneStandard").SetName("A whole capacity among unreadable ones is still found");
        yield return new TestCaseData("{\"minimum\":1e308}", "capacity-invalid", "outside 2147483647-any").SetName("A minimum past an int's range is clamped, not wrapped");
        yield return new TestCaseData("{\"maximum\":-1e308,\"step\":\"x\"}", "capacity-invalid", "outside 1--2147483648").SetName("A maximum below an int's range is clamped and a text step is no step");
        yield return new TestCaseData("{\"step\":1e308}", "capacity-invalid", "not a multiple of the step 2147483647").SetName("A step past an int's range is clamped, not wrapped");
    }

    [TestCaseSource(nameof(CapacityRules))]
    public async Task Hostile_capacity_rules_end_in_a_model_row(string rules, string verdict, string detail)
    {
        var models = _arm.Models["eastus2"];
        var model = JsonSerializer.SerializeToNode(FakeArm.Model("gpt-4o", "2024-11-20", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-4o"))!;
        model["model"]!["skus"]![0]!["capacity"] = JsonNode.Parse(rules);
        _arm.Models["eastus2"] = [model, .. models.Skip(1)];
        var report = await Run();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Row(report, "model", "chat").Verdict, Is.EqualTo(verdict));
            Assert.That(Row(report, "model", "chat").Detail, Does.Contain(detail));
        }
    }

    /// <summary>The fixture's ARM token ("arm-token") in the forms a hostile ARM could echo it, each with a terminal escape beside it.</summary>
    private static IEnumerable<TestCaseData> TokenForms()
    {
        var token = "arm-token";
        yield return new TestCaseData(token).SetName("An ARM that echoes the token as sent gets it printed nowhere");
        yield return new TestCaseData(string.Concat(token.Select(c => $"\\u{(int)c:x4}"))).SetName("An ARM that echoes the token JSON-escaped gets it printed nowhere");
        yield return new TestCaseData(token.ToUpperInvariant()).SetName("An ARM that echoes the token upper-cased gets it printed nowhere");
        yield return new TestCaseData("arm -  to ken").SetName("An ARM that echoes the token split by spaces gets it printed nowhere");
        yield return new TestCaseData(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(token))).SetName("An ARM that echoes the token in base64 gets it printed nowhere");
    }

    [TestCaseSource(nameof(TokenForms))]
    public async Task A_token_in_any_form_is_in_no_row(string echoed)
    {
        // Into a row's detail through the provider's state, and through a name check's reason and message.
        _arm.Queue("/providers/Microsoft.CognitiveServices", new FakeAnswer(200, null, RawBody: $"{{\"namespace\":\"Microsoft.CognitiveServices\",\"registrationState\":\"{echoed}\\u001b[31m\"}}"));
        _arm.Queue("/checkNameAvailability", Enumerable.Repeat(new FakeAnswer(200, null, RawBody: $"{{\"nameAvailable\":false,\"reason\":\"{echoed}\",\"message\":\"held by {echoed}\"}}"), 4).ToArray());
        var report = await RunProd();
        var printed = ReportFormatter.ToTable(report) + ReportFormatter.ToJson(report) + ReportFormatter.ToMarkdown(report);
        var flat = printed.Replace(" ", "", StringComparison.Ordinal);
        using (Assert.EnterMultipleScope())
        {
            foreach (var form in new[] { "arm-token", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("arm-token")) })
            {
                Assert.That(flat, Does.Not.Contain(form).IgnoreCase, form);
            }
            Assert.That(printed.Any(c => c == '\u001b'), Is.False, "no terminal escape");
            Assert.That(report.Checks.Single(c => c.Check == "provider" && c.Subject == "Microsoft.CognitiveServices").Verdict, Is.EqualTo("provider-not-registered"), "a row still says what happened");
        }
    }
}
