using System.Text.Json;
using System.Text.RegularExpressions;

namespace AzureOpenAi.Preflight;

/// <summary>An Azure OpenAI account the plan creates or updates.</summary>
/// <param name="Name">Account name.</param>
/// <param name="ResourceGroup">Its resource group.</param>
/// <param name="Location">Its region.</param>
/// <param name="Kind">Account kind, e.g. <c>OpenAI</c>.</param>
/// <param name="CustomSubdomain">The custom subdomain; null when the plan has none.</param>
/// <param name="Restore">True when the stack recovers a soft-deleted account of the same name.</param>
public sealed record PlannedAccount(string Name, string ResourceGroup, string Location, string Kind, string? CustomSubdomain, bool Restore);

/// <summary>A model deployment the plan creates or updates.</summary>
/// <param name="Name">Deployment name.</param>
/// <param name="Account">The account it belongs to.</param>
/// <param name="Format">Model format, e.g. <c>OpenAI</c>.</param>
/// <param name="Model">Model name.</param>
/// <param name="Version">Model version.</param>
/// <param name="Sku">Deployment SKU, e.g. <c>GlobalStandard</c>.</param>
/// <param name="Capacity">Capacity in the SKU's unit.</param>
public sealed record PlannedDeployment(string Name, PlannedAccount Account, string Format, string Model, string Version, string Sku, int Capacity);

/// <summary>A diagnostics destination outside the stack (an event hub namespace or a storage account) that must be in the account's region.</summary>
/// <param name="ResourceId">The destination resource's id (for an event hub: its namespace).</param>
/// <param name="Account">The account whose logs go there.</param>
public sealed record PlannedDestination(string ResourceId, PlannedAccount Account);

/// <summary>What preflight reads from an offline plan (the plan contract in docs/design.md).</summary>
/// <param name="Stack">The stack name.</param>
/// <param name="SubscriptionId">The subscription the plan's ids name.</param>
/// <param name="Accounts">Accounts, in plan order.</param>
/// <param name="Deployments">Deployments, in plan order.</param>
/// <param name="Destinations">Diagnostics destinations that must share their account's region.</param>
public sealed partial record PreflightPlan(string Stack, string SubscriptionId, IReadOnlyList<PlannedAccount> Accounts, IReadOnlyList<PlannedDeployment> Deployments, IReadOnlyList<PlannedDestination> Destinations)
{
    /// <summary>Every Azure resource the plan writes, in plan order.</summary>
    public IReadOnlyList<PlannedResource> Resources { get; init; } = [];

    /// <summary>The resource providers the plan needs registered, in the order the plan first needs them.</summary>
    public IReadOnlyList<RequiredProvider> Providers { get; init; } = [];

    /// <summary>The subscription of a plan rendered without <c>--subscription-id</c>.</summary>
    public const string PlaceholderSubscription = "00000000-0000-0000-0000-000000000000";

    [GeneratedRegex(@"/subscriptions/([0-9a-fA-F-]{36})/", RegexOptions.CultureInvariant)]
    private static partial Regex SubscriptionInId();

    /// <summary>Reads a plan; throws <see cref="FormatException"/> naming what is missing.</summary>
    public static PreflightPlan Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source} is not JSON ({ex.Message}); render one with npm run -s plan -- <stack> --json --subscription-id <guid>");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("resources", out var resources) || resources.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{source} is not a plan (no 'resources' list); render one with npm run -s plan -- <stack> --json --subscription-id <guid>");
            }
            var stack = root.TryGetProperty("stack", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "?";
            var accounts = new List<PlannedAccount>();
            var deployments = new List<(JsonElement Inputs, string Resource)>();
            var settings = new List<JsonElement>();
            string? subscription = null;
            foreach (var resource in resources.EnumerateArray())
            {
                var type = Text(resource, "type");
                var inputs = resource.TryGetProperty("inputs", out var i) && i.ValueKind == JsonValueKind.Object ? i : default;
                subscription ??= SubscriptionInId().Match(inputs.ValueKind == JsonValueKind.Object ? inputs.GetRawText() : string.Empty) is { Success: true } m ? m.Groups[1].Value.ToLowerInvariant() : null;
                var name = Text(resource, "name") ?? "?";
                if (type == "azure-native:cognitiveservices:Account")
                {
                    var properties = inputs.TryGetProperty("properties", out var p) ? p : default;
                    accounts.Add(new PlannedAccount(
                        Required(inputs, "accountName", name, source), Required(inputs, "resourceGroupName", name, source), Required(inputs, "location", name, source),
                        Text(inputs, "kind") ?? "OpenAI", Text(properties, "customSubDomainName"),
                        properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("restore", out var r) && r.ValueKind == JsonValueKind.True));
                }
                else if (type == "azure-native:cognitiveservices:Deployment")
                {
                    deployments.Add((inputs, name));
                }
                else if (type == "azure-native:monitor:DiagnosticSetting")
                {
                    settings.Add(inputs);
                }
            }
            var planned = deployments.Select(d =>
            {
                var accountName = Required(d.Inputs, "accountName", d.Resource, source);
                var account = accounts.FirstOrDefault(a => a.Name.Equals(accountName, StringComparison.OrdinalIgnoreCase))
                    ?? throw new FormatException($"{source}: {d.Resource} belongs to account {accountName}, which the plan does not declare");
                var model = d.Inputs.TryGetProperty("properties", out var p) && p.TryGetProperty("model", out var m) ? m : default;
                var sku = d.Inputs.TryGetProperty("sku", out var k) ? k : default;
                var capacity = sku.ValueKind == JsonValueKind.Object && sku.TryGetProperty("capacity", out var c) && c.TryGetInt32(out var n) ? n
                    : throw new FormatException($"{source}: {d.Resource} has no sku.capacity");
                return new PlannedDeployment(Required(d.Inputs, "deploymentName", d.Resource, source), account,
                    Text(model, "format") ?? "OpenAI", Required(model, "name", d.Resource, source), Required(model, "version", d.Resource, source),
                    Required(sku, "name", d.Resource, source), capacity);
            }).ToList();
            if (accounts.Count == 0)
            {
                throw new FormatException($"{source}: the plan declares no Azure OpenAI account");
            }
            // An event hub rule's namespace, or a storage account, of a setting on one of the accounts.
            var destinations = settings.SelectMany(s =>
            {
                var account = accounts.FirstOrDefault(a => (Text(s, "resourceUri") ?? "").EndsWith($"/accounts/{a.Name}", StringComparison.OrdinalIgnoreCase));
                var ids = new[] { Text(s, "eventHubAuthorizationRuleId") is { } rule ? Regex.Replace(rule, "/authorizationRules/[^/]+$", "", RegexOptions.IgnoreCase) : null, Text(s, "storageAccountId") };
                return account is null ? [] : ids.OfType<string>().Select(id => new PlannedDestination(id, account));
            }).ToList();
            var (all, providers) = PlannedResources.Read(resources, source);
            return new PreflightPlan(stack, subscription ?? PlaceholderSubscription, accounts, planned, destinations) { Resources = all, Providers = providers };
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Required(JsonElement element, string name, string resource, string source) =>
        Text(element, name) ?? throw new FormatException($"{source}: {resource} has no '{name}'");
}
