using System.Text.Json;
using Azure.Core;
using AzureOpenAi.Tests;

namespace AzureOpenAi.Preflight.Tests;

/// <summary>A fake ARM per test, plans to check against it, and the helpers the preflight's tests share.</summary>
[CancelAfter(30_000)]
public abstract class PreflightFixture
{
    protected static readonly DateTimeOffset Today = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    protected FakeArm _arm = null!;

    [SetUp]
    public async Task Start()
    {
        _arm = await FakeArm.StartAsync();
        // The committed prod joins the hub: deployed first, its resource group exists.
        _arm.ExistingGroups.Add("rg-contoso-hub");
        // A subscription with room for the prod stack: two deployments in eastus2 sharing nothing.
        _arm.Models["eastus2"] =
        [
            FakeArm.Model("gpt-4o", "2024-11-20", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-4o"),
            FakeArm.Model("gpt-4o-mini", "2024-07-18", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-4o-mini"),
            // What the committed stacks deploy.
            FakeArm.Model("gpt-5.4", "2026-03-05", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-5.4"),
            FakeArm.Model("gpt-5.4-mini", "2026-03-17", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-5.4-mini"),
            FakeArm.Model("gpt-5.5", "2026-04-24", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-5.5"),
            // The same models for a Foundry resource (kind AIServices), as ARM lists them once per kind.
            FakeArm.Model("gpt-4o", "2024-11-20", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-4o", kind: "AIServices"),
            FakeArm.Model("gpt-4o-mini", "2024-07-18", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-4o-mini", kind: "AIServices"),
            FakeArm.Model("gpt-5.4", "2026-03-05", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-5.4", kind: "AIServices"),
            FakeArm.Model("gpt-5.4-mini", "2026-03-17", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-5.4-mini", kind: "AIServices"),
            FakeArm.Model("gpt-5.5", "2026-04-24", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-5.5", kind: "AIServices"),
        ];
        _arm.Usages["eastus2"] = new()
        {
            ["OpenAI.DataZoneStandard.gpt-4o"] = (450, 0), ["OpenAI.DataZoneStandard.gpt-4o-mini"] = (1000, 0),
            ["OpenAI.DataZoneStandard.gpt-5.4"] = (450, 0), ["OpenAI.DataZoneStandard.gpt-5.4-mini"] = (1000, 0), ["OpenAI.DataZoneStandard.gpt-5.5"] = (450, 0),
        };
    }

    [TearDown]
    public async Task Stop() => await _arm.DisposeAsync();

    internal static string Plan(string location = "eastus2", bool restore = false, params (string Name, string Model, string Version, string Sku, int Capacity)[] deployments) =>
        Plan(location, restore, null, deployments);

    internal static string Plan(string location, bool restore, object? diagnosticSetting, params (string Name, string Model, string Version, string Sku, int Capacity)[] deployments)
    {
        if (deployments.Length == 0)
        {
            deployments = [("chat", "gpt-4o", "2024-11-20", "DataZoneStandard", 100), ("chat-mini", "gpt-4o-mini", "2024-07-18", "DataZoneStandard", 200)];
        }
        var accountProps = new Dictionary<string, object> { ["customSubDomainName"] = "contoso-prod-1a2b3c4d" };
        if (restore) accountProps["restore"] = true;
        var resources = new List<object>
        {
            new { type = "azure-native:cognitiveservices:Account", name = "openai-account", parent = "openai", dependsOn = Array.Empty<string>(), protect = true,
                  inputs = new { accountName = "oai-contoso-prod", resourceGroupName = "rg-contoso-prod", location, kind = "OpenAI", properties = accountProps } },
        };
        resources.AddRange(deployments.Select(d => (object)new
        {
            type = "azure-native:cognitiveservices:Deployment", name = $"openai-deployment-{d.Name}", parent = "openai", dependsOn = Array.Empty<string>(), protect = false,
            inputs = new { accountName = "oai-contoso-prod", deploymentName = d.Name, resourceGroupName = "rg-contoso-prod", sku = new { name = d.Sku, capacity = d.Capacity },
                           properties = new { model = new { format = "OpenAI", name = d.Model, version = d.Version } } },
        }));
        resources.Add(new { type = "azure-native:authorization:RoleAssignment", name = "access-x", parent = "access", dependsOn = Array.Empty<string>(), protect = false,
            inputs = new { scope = $"/subscriptions/{FakeArm.Subscription}/resourceGroups/rg-contoso-prod/providers/Microsoft.CognitiveServices/accounts/oai-contoso-prod" } });
        if (diagnosticSetting is not null)
        {
            resources.Add(new { type = "azure-native:monitor:DiagnosticSetting", name = "diagnostics-setting", parent = "diagnostics", dependsOn = Array.Empty<string>(), protect = false, inputs = diagnosticSetting });
        }
        return JsonSerializer.Serialize(new { stack = "prod", resources, outputs = new { } });
    }

    protected PreflightClientOptions Options() => new()
    {
        ArmEndpoint = _arm.Endpoint,
        CallTimeout = TimeSpan.FromSeconds(3),
        MaxRetryAfter = TimeSpan.FromMilliseconds(200),
        Clock = new VirtualClock(Today),
        Retry = { Delay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) },
    };

    protected async Task<PreflightReport> Run(string? plan = null, PreflightClientOptions? options = null) =>
        await new PreflightClient(new Token(), options ?? Options()).CheckAsync(PreflightPlan.Parse(plan ?? Plan(), "plan.json"), FakeArm.Subscription);

    protected static CheckResult Row(PreflightReport report, string check, string subject) => report.Checks.Single(c => c.Check == check && c.Subject == subject);

    /// <summary>The committed prod plan: two regions, each account with both deployments.</summary>
    protected static async Task<PreflightPlan> CommittedProdPlan()
    {
        var snapshot = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "snapshots", "prod.plan.json");
        return PreflightPlan.Parse(await File.ReadAllTextAsync(snapshot), "prod.plan.json");
    }

    /// <summary>Checks the committed prod plan against a subscription with room for both regions.</summary>
    protected async Task<PreflightReport> RunProd(PreflightClientOptions? options = null)
    {
        OfferWestus3((450, 0));
        return await new PreflightClient(new Token(), options ?? Options()).CheckAsync(await CommittedProdPlan(), FakeArm.Subscription);
    }

    /// <summary>Gives westus3 the same models as eastus2, and room for prod's secondary (its chat deployment's quota as given).</summary>
    protected void OfferWestus3((double Limit, double Used) chat)
    {
        _arm.Models["westus3"] = [.. _arm.Models["eastus2"]];
        _arm.Usages["westus3"] = new() { ["OpenAI.DataZoneStandard.gpt-5.5"] = chat, ["OpenAI.DataZoneStandard.gpt-5.4-mini"] = (1000, 0) };
    }

    public sealed class Token : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            requestContext.Scopes.SequenceEqual(["https://management.azure.com/.default"]) ? new("arm-token", DateTimeOffset.UtcNow.AddHours(1)) : throw new InvalidOperationException("wrong scope");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
