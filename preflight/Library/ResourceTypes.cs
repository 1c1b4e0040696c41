namespace AzureOpenAi.Preflight;

/// <summary>
/// The Azure resource type behind each azure-native type token a plan can hold: its namespace is the
/// provider that must be registered, and <c>&lt;type&gt;/write</c> the action the caller needs. A token
/// missing here is an input error naming this file, so a new resource type cannot slip past the checks.
/// </summary>
internal static class ResourceTypes
{
    /// <summary>Token → the Azure type and the input that carries the resource's Azure name.</summary>
    private static readonly Dictionary<string, (string Type, string NameInput)> ArmTypes = new(StringComparer.Ordinal)
    {
        ["azure-native:resources:ResourceGroup"] = ("Microsoft.Resources/subscriptions/resourceGroups", "resourceGroupName"),
        ["azure-native:cognitiveservices:Account"] = ("Microsoft.CognitiveServices/accounts", "accountName"),
        ["azure-native:cognitiveservices:Deployment"] = ("Microsoft.CognitiveServices/accounts/deployments", "deploymentName"),
        ["azure-native:cognitiveservices:Project"] = ("Microsoft.CognitiveServices/accounts/projects", "projectName"),
        ["azure-native:cognitiveservices:RaiPolicy"] = ("Microsoft.CognitiveServices/accounts/raiPolicies", "raiPolicyName"),
        ["azure-native:cognitiveservices:RaiBlocklist"] = ("Microsoft.CognitiveServices/accounts/raiBlocklists", "raiBlocklistName"),
        ["azure-native:cognitiveservices:RaiBlocklistItem"] = ("Microsoft.CognitiveServices/accounts/raiBlocklists/raiBlocklistItems", "raiBlocklistItemName"),
        ["azure-native:managedidentity:UserAssignedIdentity"] = ("Microsoft.ManagedIdentity/userAssignedIdentities", "resourceName"),
        ["azure-native:keyvault:Vault"] = ("Microsoft.KeyVault/vaults", "vaultName"),
        ["azure-native:keyvault:Key"] = ("Microsoft.KeyVault/vaults/keys", "keyName"),
        ["azure-native:apimanagement:ApiManagementService"] = ("Microsoft.ApiManagement/service", "serviceName"),
        ["azure-native:apimanagement:Backend"] = ("Microsoft.ApiManagement/service/backends", "backendId"),
        ["azure-native:apimanagement:Api"] = ("Microsoft.ApiManagement/service/apis", "apiId"),
        ["azure-native:apimanagement:ApiOperation"] = ("Microsoft.ApiManagement/service/apis/operations", "operationId"),
        ["azure-native:apimanagement:ApiPolicy"] = ("Microsoft.ApiManagement/service/apis/policies", "policyId"),
        ["azure-native:network:NetworkSecurityGroup"] = ("Microsoft.Network/networkSecurityGroups", "networkSecurityGroupName"),
        ["azure-native:network:VirtualNetwork"] = ("Microsoft.Network/virtualNetworks", "virtualNetworkName"),
        ["azure-native:network:Subnet"] = ("Microsoft.Network/virtualNetworks/subnets", "subnetName"),
        ["azure-native:network:PrivateEndpoint"] = ("Microsoft.Network/privateEndpoints", "privateEndpointName"),
        ["azure-native:network:PrivateDnsZoneGroup"] = ("Microsoft.Network/privateEndpoints/privateDnsZoneGroups", "privateDnsZoneGroupName"),
        ["azure-native:privatedns:PrivateZone"] = ("Microsoft.Network/privateDnsZones", "privateZoneName"),
        ["azure-native:privatedns:VirtualNetworkLink"] = ("Microsoft.Network/privateDnsZones/virtualNetworkLinks", "virtualNetworkLinkName"),
        ["azure-native:authorization:RoleAssignment"] = ("Microsoft.Authorization/roleAssignments", "roleAssignmentName"),
        ["azure-native:authorization:ManagementLockByScope"] = ("Microsoft.Authorization/locks", "lockName"),
        ["azure-native:operationalinsights:Workspace"] = ("Microsoft.OperationalInsights/workspaces", "workspaceName"),
        ["azure-native:monitor:ActionGroup"] = ("Microsoft.Insights/actionGroups", "actionGroupName"),
        ["azure-native:monitor:MetricAlert"] = ("Microsoft.Insights/metricAlerts", "ruleName"),
        ["azure-native:monitor:DiagnosticSetting"] = ("Microsoft.Insights/diagnosticSettings", "name"),
        ["azure-native:consumption:Budget"] = ("Microsoft.Consumption/budgets", "budgetName"),
    };

    /// <summary>
    /// The Azure type of a plan entry; null for what is not an Azure resource (the program's own
    /// components, a bounded wait). An azure-native token this table lacks is a <see cref="FormatException"/>.
    /// </summary>
    public static (string Type, string NameInput)? ArmType(string token, string source) =>
        !token.StartsWith("azure-native:", StringComparison.Ordinal) ? null
        : ArmTypes.TryGetValue(token, out var type) ? type
        : throw new FormatException($"{source}: the preflight does not know the resource type {token}; add it to preflight/Library/ResourceTypes.cs with its Azure type");

    /// <summary>The provider namespace of an Azure type or delegation service name (<c>Microsoft.Web/serverFarms</c> → <c>Microsoft.Web</c>).</summary>
    public static string Namespace(string armType) => armType.Split('/')[0];
}
