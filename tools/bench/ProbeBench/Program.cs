using System.Diagnostics;
using System.Globalization;
using AzureOpenAi.Probe;
using AzureOpenAi.Probe.Tests;

// Deployment i answers after (i + 1) * step ms. Sequential probing would take the sum; concurrent
// probing should take about the slowest. Prints the ratio wall / slowest (ideal: close to 1).
const int deployments = 8;
const int stepMs = 100;
const int runs = 5;

await using var server = await FakeAzureOpenAi.StartAsync();
var names = Enumerable.Range(1, deployments).Select(i => $"model-{i}").ToList();
for (var i = 0; i < deployments; i++)
{
    server.AddDeployment(names[i], new FakeDeployment { Latency = TimeSpan.FromMilliseconds((i + 1) * stepMs) });
}
using var client = new ProbeClient(server.Endpoint, ProbeCredential.FromKey(FakeAzureOpenAi.Key));
await client.ProbeAsync(names); // warm-up: JIT and connection pool

var walls = new List<long>();
for (var run = 0; run < runs; run++)
{
    var clock = Stopwatch.StartNew();
    var report = await client.ProbeAsync(names);
    walls.Add(clock.ElapsedMilliseconds);
    if (!report.Healthy)
    {
        Console.Error.WriteLine("probe failed against the fake server");
        return 1;
    }
}
walls.Sort();
var median = walls[runs / 2];
var slowest = deployments * stepMs;
var sum = Enumerable.Range(1, deployments).Sum(i => i * stepMs);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{deployments} deployments, latencies {stepMs}..{slowest} ms: median wall {median} ms over {runs} runs; slowest {slowest} ms, sum {sum} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio wall/slowest = {(double)median / slowest:0.00} (sequential would be {(double)sum / slowest:0.00})"));
return 0;
