using System.Text;

namespace AzureOpenAi.Probe.Tests;

/// <summary>
/// Whatever a server sends (a broken status line, a header line .NET refuses, a body of any JSON
/// shape under any status) the probe ends in a verdict with a hint, and prints neither the key nor a
/// control character. A crash would leave the pipeline with an exit code and no report.
/// </summary>
[TestFixture]
public sealed class ProbeAnswerFuzzTests : ProbeFixture
{
    private const string Key = FakeAzureOpenAi.Key;

    /// <summary>Answers only a raw socket can send; "{key}" stands for the key the probe sent.</summary>
    private static IEnumerable<TestCaseData> RawAnswers()
    {
        var answers = new (string Name, string Bytes)[]
        {
            ("a header line with no colon, quoting the key", "HTTP/1.1 200 OK\r\nX-Echo {key}\r\nContent-Length: 0\r\n\r\n"),
            ("a header value with a terminal escape and the key", "HTTP/1.1 401 Unauthorized\r\napim-request-id: \u001b[31m{key}\r\nContent-Length: 0\r\n\r\n"),
            ("a status code of four digits", "HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n"),
            ("no status line at all", "{\"choices\":[]}\r\n\r\n"),
            ("nothing, then a hang-up", ""),
            ("a negative Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"),
            ("a chunk size that is not hex", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n"),
            ("a body shorter than its Content-Length", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"choices\":"),
            ("a Retry-After past any wait on a 429", "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1e308\r\nretry-after-ms: Infinity\r\nContent-Length: 0\r\n\r\n"),
            ("a status line in Latin-1 with the key", "HTTP/1.1 401 Zugriff verweigert \u00e4 {key}\r\nContent-Length: 0\r\n\r\n"),
        };
        foreach (var (name, bytes) in answers)
        {
            yield return new TestCaseData(bytes).SetName($"A server sending {name} gets a verdict, not a crash");
        }
    }

    [TestCaseSource(nameof(RawAnswers))]
    public async Task A_raw_answer_ends_in_a_verdict(string bytes)
    {
        using var server = new RawHttpServer(bytes.Replace("{key}", Key, StringComparison.Ordinal));
        using var client = new ProbeClient(server.Endpoint, ProbeCredential.FromKey(Key), Fast());
        AssertHeld(await client.ProbeAsync(["chat"]));
    }

    [Test]
    public async Task The_key_quoted_by_dotnet_from_an_invalid_header_line_is_printed_nowhere()
    {
        // .NET's own message quotes the line: "Received an invalid header line: 'X-Echo <key>'".
        using var server = new RawHttpServer($"HTTP/1.1 200 OK\r\nX-Echo {Key}\r\n\r\n");
        using var client = new ProbeClient(server.Endpoint, ProbeCredential.FromKey(Key), Fast());
        var report = await client.ProbeAsync(["chat"]);
        AssertHeld(report);
        Assert.That(report.Deployments[0].ErrorMessage, Does.Contain("[redacted]"), "the line was quoted, and the key in it replaced");
    }

    /// <summary>Every status Azure OpenAI documents, each with bodies of every JSON shape, valid HTTP throughout.</summary>
    private static IEnumerable<TestCaseData> JsonAnswers()
    {
        var bodies = new[]
        {
            "", "null", "[]", "7", "\"text\"", "{}", "{\"choices\":null}", "{\"choices\":[1,null,\"x\"]}",
            "{\"choices\":[{\"message\":7,\"finish_reason\":[]}],\"model\":{}}",
            "{\"model\":[],\"choices\":[{\"message\":{\"content\":{}}}],\"usage\":\"x\"}",
            "{\"error\":\"text\"}", "{\"error\":[]}", "{\"error\":{\"code\":7,\"message\":[],\"innererror\":\"x\"}}",
            "{\"error\":{\"code\":\"content_filter\",\"inner_error\":[1]}}",
            new string('[', 5000) + new string(']', 5000),
            "{\"choices\":[{\"message\":{\"content\":\"\\ud800\"}}],\"model\":\"\\u001b[2J\"}",
        };
        foreach (var status in new[] { 200, 400, 401, 403, 404, 408, 429, 500, 503 })
        {
            for (var i = 0; i < bodies.Length; i++)
            {
                yield return new TestCaseData(status, bodies[i]).SetName($"HTTP {status} with JSON body shape {i} gets a verdict, not a crash");
            }
        }
    }

    [TestCaseSource(nameof(JsonAnswers))]
    public async Task A_json_answer_of_any_shape_ends_in_a_verdict(int status, string body)
    {
        Script(_server, Repeat(8, new FakeResponse(status, body, new Dictionary<string, string> { ["retry-after"] = "NaN" })).ToArray());
        using var client = new ProbeClient(_server.Endpoint, ProbeCredential.FromKey(Key), Fast());
        AssertHeld(await client.ProbeAsync(["chat"]));
    }

    private static void AssertHeld(ProbeReport report)
    {
        var row = report.Deployments.Single();
        var printed = ReportFormatter.ToTable(report) + ReportFormatter.ToJson(report) + ReportFormatter.ToMarkdown(report);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Enum.IsDefined(row.Verdict), Is.True, "a verdict of Contract 3");
            Assert.That(row.Hint, Is.Not.Empty, "a hint says what to do");
            Assert.That(printed, Does.Not.Contain(Key).IgnoreCase);
            Assert.That(printed.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'), Is.False, "no control character reaches a terminal");
            Assert.That(Encoding.UTF8.GetByteCount(printed), Is.LessThan(64 * 1024), "what is printed stays small whatever was sent");
        }
    }
}
