using AzureOpenAi.Tests;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace AzureOpenAi.Probe.Tests;

/// <summary>A fake Azure OpenAI endpoint per test, and the helpers the probe's client tests share.</summary>
[CancelAfter(20_000)]
public abstract class ProbeFixture
{
    protected FakeAzureOpenAi _server = null!;

    [SetUp]
    public async Task StartServer() => _server = await FakeAzureOpenAi.StartAsync();

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    /// <summary>Short waits on a virtual clock: every wait is recorded (<see cref="VirtualClock.Waits"/>) and ends at once.</summary>
    protected static ProbeClientOptions Fast() => new() { MaxRetryDelay = TimeSpan.FromMilliseconds(50), SettleInterval = TimeSpan.FromMilliseconds(50), AttemptTimeout = TimeSpan.FromSeconds(5), Clock = new VirtualClock(DateTimeOffset.UnixEpoch) };

    /// <summary>The waits the probe asked of its clock, in order.</summary>
    protected static TimeSpan[] WaitsOf(ProbeClientOptions options) => [.. ((VirtualClock)options.Clock).Waits];

    protected async Task<DeploymentReport> ProbeOne(ProbeCredential credential, string deployment = "chat", ProbeClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var client = new ProbeClient(_server.Endpoint, credential, options ?? Fast());
        var report = await client.ProbeAsync([deployment], cancellationToken);
        return report.Deployments.Single();
    }

    protected static string Envelope(string code, string message, object? inner = null) =>
        JsonSerializer.Serialize(new { error = new { code, message, innererror = inner } });

    protected static IEnumerable<FakeResponse> Repeat(int count, FakeResponse response) => Enumerable.Repeat(response, count);

    protected static void Script(FakeAzureOpenAi server, params FakeResponse[] responses)
    {
        var deployment = server.AddDeployment("chat");
        foreach (var response in responses)
        {
            deployment.Script.Enqueue(response);
        }
    }
}
