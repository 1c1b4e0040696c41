using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AzureOpenAi.Preflight;
using AzureOpenAi.Preflight.Tests;

// Five deployments on two accounts in two regions; the fake ARM answers every call after callMs.
// Called one after another the checks would take the sum of the calls; run concurrently, about the
// slowest chain. Prints the ratio wall / one call (target: at most 1.5).
const int callMs = 300;
const int runs = 5;

await using var arm = await FakeArm.StartAsync();
foreach (var region in new[] { "eastus2", "swedencentral" })
{
    arm.Models[region] = [FakeArm.Model("gpt-4o", "2024-11-20", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-4o"), FakeArm.Model("gpt-4o-mini", "2024-07-18", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-4o-mini")];
    arm.Usages[region] = new() { ["OpenAI.DataZoneStandard.gpt-4o"] = (1000, 0), ["OpenAI.DataZoneStandard.gpt-4o-mini"] = (1000, 0) };
}
object Account(string name, string location) => new { type = "azure-native:cognitiveservices:Account", name, inputs = new { accountName = name, resourceGroupName = "rg", location, kind = "OpenAI", properties = new { customSubDomainName = $"{name}-sub" } } };
object Deployment(string account, string name, string model, string version) => new
{
    type = "azure-native:cognitiveservices:Deployment", name = $"{account}-{name}",
    inputs = new { accountName = account, deploymentName = name, sku = new { name = "DataZoneStandard", capacity = 10 }, properties = new { model = new { format = "OpenAI", name = model, version } } },
};
var planJson = JsonSerializer.Serialize(new
{
    stack = "bench",
    resources = new[]
    {
        Account("oai-east", "eastus2"), Account("oai-sweden", "swedencentral"),
        Deployment("oai-east", "chat", "gpt-4o", "2024-11-20"), Deployment("oai-east", "mini", "gpt-4o-mini", "2024-07-18"), Deployment("oai-east", "chat-2", "gpt-4o", "2024-11-20"),
        Deployment("oai-sweden", "chat", "gpt-4o", "2024-11-20"), Deployment("oai-sweden", "mini", "gpt-4o-mini", "2024-07-18"),
    },
});
var plan = PreflightPlan.Parse(planJson, "bench plan");
var client = new PreflightClient(new PreflightClientTests.Token(), new PreflightClientOptions { ArmEndpoint = arm.Endpoint });
await client.CheckAsync(plan, FakeArm.Subscription); // warm-up: JIT and connection pool

arm.Delay = TimeSpan.FromMilliseconds(callMs);
var walls = new List<long>();
var calls = 0;
for (var run = 0; run < runs; run++)
{
    var before = arm.Requests.Count;
    var clock = Stopwatch.StartNew();
    var report = await client.CheckAsync(plan, FakeArm.Subscription);
    walls.Add(clock.ElapsedMilliseconds);
    calls = arm.Requests.Count - before;
    if (!report.Passed)
    {
        Console.Error.WriteLine(ReportFormatter.ToTable(report));
        return 1;
    }
}
walls.Sort();
var median = walls[runs / 2];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"5 deployments, 2 regions, {calls} ARM calls of {callMs} ms each: median wall {median} ms over {runs} runs (sequential: {calls * callMs} ms)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio wall/one call = {(double)median / callMs:0.00} (target <= 1.5; sequential would be {calls:0.00})"));
return 0;
