using System.Text.Json;

namespace AzureOpenAi.Preflight;

/// <summary>
/// The Azure resource type behind each azure-native type token a plan can hold: its namespace is the
/// provider that must be registered, and <c>&lt;type&gt;/write</c> the action the caller needs. A token
/// missing here is an input error naming this file, so a new resource type cannot slip past the checks.
/// </summary>
internal static class ResourceTypes
{
    /// <summary>What the preflight knows of one azure-native type.</summary>
    internal sealed record TypeInfo(string Type, string NameInput, string ApiVersion);

    /// <summary>Token → the Azure type, the input that carries the resource's Azure name, and the API version azure-native 3.28 sends it with (docs/design.md).</summary>
    private static readonly Dictionary<string, TypeInfo> ArmTypes = new(StringComparer.Ordinal)
    {
        ["azure-native:resources:ResourceGroup"] = new("Microsoft.Resources/subscriptions/resourceGroups", "resourceGroupName", "2024-03-01"),
        ["azure-native:cognitiveservices:Account"] = new("Microsoft.CognitiveServices/accounts", "accountName", "2025-06-01"),
        ["azure-native:cognitiveservices:Deployment"] = new("Microsoft.CognitiveServices/accounts/deployments", "deploymentName", "2025-06-01"),
        ["azure-native:cognitiveservices:Project"] = new("Microsoft.CognitiveServices/accounts/projects", "projectName", "2025-06-01"),
        ["azure-native:cognitiveservices:RaiPolicy"] = new("Microsoft.CognitiveServices/accounts/raiPolicies", "raiPolicyName", "2025-06-01"),
        ["azure-native:cognitiveservices:RaiBlocklist"] = new("Microsoft.CognitiveServices/accounts/raiBlocklists", "raiBlocklistName", "2025-06-01"),
        ["azure-native:cognitiveservices:RaiBlocklistItem"] = new("Microsoft.CognitiveServices/accounts/raiBlocklists/raiBlocklistItems", "raiBlocklistItemName", "2025-06-01"),
        ["azure-native:managedidentity:UserAssignedIdentity"] = new("Microsoft.ManagedIdentity/userAssignedIdentities", "resourceName", "2023-01-31"),
        ["azure-native:keyvault:Vault"] = new("Microsoft.KeyVault/vaults", "vaultName", "2024-11-01"),
        ["azure-native:keyvault:Key"] = new("Microsoft.KeyVault/vaults/keys", "keyName", "2024-11-01"),
        ["azure-native:apimanagement:ApiManagementService"] = new("Microsoft.ApiManagement/service", "serviceName", "2024-05-01"),
        ["azure-native:apimanagement:Backend"] = new("Microsoft.ApiManagement/service/backends", "backendId", "2024-05-01"),
        ["azure-native:apimanagement:Api"] = new("Microsoft.ApiManagement/service/apis", "apiId", "2024-05-01"),
        ["azure-native:apimanagement:ApiOperation"] = new("Microsoft.ApiManagement/service/apis/operations", "operationId", "2024-05-01"),
        ["azure-native:apimanagement:ApiPolicy"] = new("Microsoft.ApiManagement/service/apis/policies", "policyId", "2024-05-01"),
        ["azure-native:network:NetworkSecurityGroup"] = new("Microsoft.Network/networkSecurityGroups", "networkSecurityGroupName", "2024-05-01"),
        ["azure-native:network:VirtualNetwork"] = new("Microsoft.Network/virtualNetworks", "virtualNetworkName", "2024-05-01"),
        ["azure-native:network:Subnet"] = new("Microsoft.Network/virtualNetworks/subnets", "subnetName", "2024-05-01"),
        ["azure-native:network:VirtualNetworkPeering"] = new("Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "virtualNetworkPeeringName", "2024-05-01"),
        ["azure-native:network:NatGateway"] = new("Microsoft.Network/natGateways", "natGatewayName", "2024-05-01"),
        ["azure-native:network:PublicIPAddress"] = new("Microsoft.Network/publicIPAddresses", "publicIpAddressName", "2024-05-01"),
        ["azure-native:network:PrivateEndpoint"] = new("Microsoft.Network/privateEndpoints", "privateEndpointName", "2024-05-01"),
        ["azure-native:network:PrivateDnsZoneGroup"] = new("Microsoft.Network/privateEndpoints/privateDnsZoneGroups", "privateDnsZoneGroupName", "2024-05-01"),
        ["azure-native:privatedns:PrivateZone"] = new("Microsoft.Network/privateDnsZones", "privateZoneName", "2024-06-01"),
        ["azure-native:privatedns:VirtualNetworkLink"] = new("Microsoft.Network/privateDnsZones/virtualNetworkLinks", "virtualNetworkLinkName", "2024-06-01"),
        ["azure-native:authorization:RoleAssignment"] = new("Microsoft.Authorization/roleAssignments", "roleAssignmentName", "2022-04-01"),
        ["azure-native:authorization:ManagementLockByScope"] = new("Microsoft.Authorization/locks", "lockName", "2020-05-01"),
        ["azure-native:operationalinsights:Workspace"] = new("Microsoft.OperationalInsights/workspaces", "workspaceName", "2023-09-01"),
        ["azure-native:monitor:ActionGroup"] = new("Microsoft.Insights/actionGroups", "actionGroupName", "2024-10-01-preview"),
        ["azure-native:monitor:MetricAlert"] = new("Microsoft.Insights/metricAlerts", "ruleName", "2018-03-01"),
        ["azure-native:monitor:DiagnosticSetting"] = new("Microsoft.Insights/diagnosticSettings", "name", "2021-05-01-preview"),
        ["azure-native:consumption:Budget"] = new("Microsoft.Consumption/budgets", "budgetName", "2024-08-01"),
        ["azure-native:applicationinsights:Component"] = new("Microsoft.Insights/components", "resourceName", "2020-02-02"),
        ["azure-native:apimanagement:Logger"] = new("Microsoft.ApiManagement/service/loggers", "loggerId", "2024-05-01"),
        ["azure-native:apimanagement:ApiDiagnostic"] = new("Microsoft.ApiManagement/service/apis/diagnostics", "diagnosticId", "2024-05-01"),
        ["azure-native:apimanagement:Product"] = new("Microsoft.ApiManagement/service/products", "productId", "2024-05-01"),
        ["azure-native:apimanagement:ProductApi"] = new("Microsoft.ApiManagement/service/products/apis", "apiId", "2024-05-01"),
        ["azure-native:apimanagement:Subscription"] = new("Microsoft.ApiManagement/service/subscriptions", "sid", "2024-05-01"),
        ["azure-native:operationalinsights:SavedSearch"] = new("Microsoft.OperationalInsights/workspaces/savedSearches", "savedSearchId", "2023-09-01"),
        ["azure-native:security:Pricing"] = new("Microsoft.Security/pricings", "pricingName", "2024-01-01"),
    };

    /// <summary>The generic ARM resource: its type and version are in its inputs, not in its token.</summary>
    private const string GenericResource = "azure-native:resources:Resource";

    /// <summary>
    /// The Azure type of a plan entry; null for what is not an Azure resource (the program's own
    /// components, a bounded wait). An azure-native token this table lacks is a <see cref="FormatException"/>.
    /// </summary>
    public static TypeInfo? ArmType(string token, JsonElement inputs, string source) =>
        !token.StartsWith("azure-native:", StringComparison.Ordinal) ? null
        : token == GenericResource ? GenericType(inputs, source)
        : ArmTypes.TryGetValue(token, out var type) ? type
        : throw new FormatException($"{source}: the preflight does not know the resource type {token}; add it to preflight/Library/ResourceTypes.cs with its Azure type");

    /// <summary>
    /// <c>Microsoft.CognitiveServices</c> + <c>accounts/oai-x</c> + <c>defenderForAISettings</c> →
    /// <c>Microsoft.CognitiveServices/accounts/defenderForAISettings</c>, at the version the inputs name.
    /// </summary>
    private static TypeInfo GenericType(JsonElement inputs, string source)
    {
        var ns = ModelChecks.Text(inputs, "resourceProviderNamespace");
        var parent = ModelChecks.Text(inputs, "parentResourcePath").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var type = ModelChecks.Text(inputs, "resourceType");
        var version = ModelChecks.Text(inputs, "apiVersion");
        if (ns.Length == 0 || type.Length == 0 || version.Length == 0 || parent.Length % 2 != 0)
        {
            throw new FormatException($"{source}: a {GenericResource} needs resourceProviderNamespace, resourceType, apiVersion and a parentResourcePath of type/name pairs");
        }
        var parentTypes = parent.Where((_, i) => i % 2 == 0);
        return new(string.Join('/', [ns, .. parentTypes, type]), "resourceName", version);
    }

    /// <summary>The provider namespace of an Azure type or delegation service name (<c>Microsoft.Web/serverFarms</c> → <c>Microsoft.Web</c>).</summary>
    public static string Namespace(string armType) => armType.Split('/')[0];
}
