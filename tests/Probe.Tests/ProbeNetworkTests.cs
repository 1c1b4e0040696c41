using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace AzureOpenAi.Probe.Tests;

/// <summary>The network stages: timeouts, DNS, TCP and TLS failures, private DNS, concurrency.</summary>
[TestFixture]
public sealed class ProbeNetworkTests : ProbeFixture
{
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

    private sealed class StaticResolver(IPAddress address) : IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Task.FromResult(new[] { address });
    }

    private sealed class FailingResolver : IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => throw new SocketException((int)SocketError.HostNotFound);
    }
}
