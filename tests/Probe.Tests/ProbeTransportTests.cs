using System.Net;
using System.Text;
using System.Text.Json;
using AzureOpenAi.Probe.Cli;

namespace AzureOpenAi.Probe.Tests;

/// <summary>
/// The library in the Azure SDK shape: transport and resolver come in through the options and every
/// stage uses them; its hints speak of Azure, and only the command line adds flags and stack keys.
/// </summary>
[TestFixture]
[CancelAfter(20_000)]
public sealed class ProbeTransportTests
{
    private static ProbeClientOptions Fast() => new() { MaxRetryDelay = TimeSpan.FromMilliseconds(50), SettleInterval = TimeSpan.FromMilliseconds(50), AttemptTimeout = TimeSpan.FromSeconds(5) };

    [Test]
    public async Task An_injected_transport_carries_every_call_and_nothing_else_touches_the_network()
    {
        var transport = new RecordingHandler(_ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("""{"model":"gpt-4o-2024-11-20","choices":[{"finish_reason":"stop","message":{"role":"assistant","content":"pong"}}]}""", Encoding.UTF8, "application/json"),
        });
        var options = Fast();
        options.Transport = transport;
        options.Resolver = new CountingResolver(IPAddress.Parse("20.62.1.10"));
        using (var client = new ProbeClient(new Uri("https://contoso-prod-03c8e0a0.openai.azure.com/"), ProbeCredential.FromKey("k"), options))
        {
            var report = await client.ProbeAsync(["chat", "chat-mini"]);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(report.Deployments.Select(d => d.Verdict), Is.All.EqualTo(Verdict.Pass));
                Assert.That(report.Dns.Addresses, Is.EqualTo(new[] { "20.62.1.10" }), "the DNS stage asked the injected resolver");
                Assert.That(transport.Requests.Select(r => r.RequestUri!.AbsolutePath).Order(),
                    Is.EqualTo(new[] { "/openai/deployments/chat-mini/chat/completions", "/openai/deployments/chat/chat/completions" }));
                Assert.That(transport.Requests.Select(r => r.Headers.GetValues("api-key").Single()), Is.All.EqualTo("k"));
            }
        }
        Assert.That(transport.Disposed, Is.False, "the caller owns an injected transport");
    }

    [Test]
    public async Task The_default_transport_resolves_through_the_options_resolver_like_every_other_stage()
    {
        await using var server = await FakeAzureOpenAi.StartAsync();
        server.AddDeployment("chat");
        var resolver = new CountingResolver(IPAddress.Loopback);
        var options = Fast();
        options.Resolver = resolver;
        using var client = new ProbeClient(new Uri($"http://localhost:{server.Endpoint.Port}/"), ProbeCredential.FromKey(FakeAzureOpenAi.Key), options);
        var report = await client.ProbeAsync(["chat"]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Deployments.Single().Verdict, Is.EqualTo(Verdict.Pass));
            Assert.That(resolver.Calls, Is.GreaterThanOrEqualTo(2), "the DNS stage and the chat call's connection both resolved through it");
        }
    }

    [Test]
    public void Library_hints_name_no_flag_and_no_stack_key()
    {
        var answers = new (int Status, string Body)[]
        {
            (401, """{"error":{"code":"PermissionDenied","message":"x"}}"""), (401, """{"error":{"code":"401","message":"x"}}"""),
            (403, """{"error":{"code":"AuthenticationTypeDisabled","message":"x"}}"""), (403, """{"error":{"code":"403","message":"Access denied due to Virtual Network/Firewall rules."}}"""),
            (403, """{"error":{"code":"403","message":"Public access is disabled."}}"""), (404, """{"error":{"code":"DeploymentNotFound","message":"x"}}"""),
            (400, """{"error":{"code":"OperationNotSupported","message":"x"}}"""), (400, """{"error":{"code":"content_filter","message":"x"}}"""),
            (429, """{"error":{"code":"429","message":"x"}}"""), (500, "oops"), (418, """{"error":{"code":"Teapot","message":"x"}}"""),
        };
        foreach (var (status, body) in answers)
        {
            foreach (var auth in new[] { AuthMode.Key, AuthMode.Entra })
            {
                var hint = Classifier.Classify(status, ErrorBody.Parse(body), auth).Hint;
                Assert.That(hint, Does.Not.Contain("--").And.Not.Contain("aoai:").And.Not.Contain("AZURE_OPENAI"), $"{status} {body}");
            }
        }
    }

    [Test]
    public async Task The_command_line_adds_its_flags_and_stack_keys_and_writes_a_Markdown_summary()
    {
        await using var server = await FakeAzureOpenAi.StartAsync();
        server.AddDeployment("chat");
        var summary = Path.GetTempFileName();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new ProbeEnvironment(name => name == ProbeCommand.KeyVariable ? FakeAzureOpenAi.Key : null, new StringReader(""), output, error);
        var code = await ProbeCommand.RunAsync(["--endpoint", server.Endpoint.AbsoluteUri, "--deployment", "chat", "--deployment", "gone|x", "--auth", "key", "--summary", summary], environment);
        var markdown = await File.ReadAllTextAsync(summary);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1), error.ToString());
            Assert.That(output.ToString(), Does.Contain("probe again with a settle window. Compare with pulumi stack output deployments; right after pulumi up, retry with --settle 600."));
            Assert.That(markdown, Does.StartWith($"### Probe: {server.Endpoint.AbsoluteUri}"));
            Assert.That(markdown, Does.Contain("| Deployment | Verdict | Status |"));
            Assert.That(markdown, Does.Match(@"(?m)^\| chat \| ✅ pass \| 200 \|"));
            Assert.That(markdown, Does.Match(@"(?m)^\| gone\\\|x \| ❌ deployment-not-found \| 404 \| DeploymentNotFound \|"), "a pipe in a cell is escaped");
            Assert.That(markdown, Does.Contain("1 of 2 deployments answer"));
        }
    }

    private sealed class RecordingHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        public bool Disposed { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add(request);
            }
            return Task.FromResult(answer(request));
        }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    private sealed class CountingResolver(IPAddress address) : IHostResolver
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new[] { address });
        }
    }
}
