/**
 * What plan-diff knows of Azure resources: which inputs Azure cannot change in place (a new value
 * creates a new resource and deletes the old), why that matters to users, and which removals take
 * away failover, key material or monitoring.
 */

/** Inputs Azure cannot change in place: a different value creates a new resource and deletes the old one. */
export const ReplaceOnChange: Record<string, string[]> = {
    "*": ["resourceGroupName", "location"],
    "azure-native:resources:ResourceGroup": ["resourceGroupName"],
    // Not kind: Azure changes OpenAI <-> AIServices in place (the kind rule below), and the ARM schema
    // does not mark kind create-only, so azure-native sends it as an update.
    "azure-native:cognitiveservices:Account": ["accountName", "properties.customSubDomainName"],
    "azure-native:cognitiveservices:Project": ["accountName", "projectName"],
    "azure-native:cognitiveservices:Deployment": ["accountName", "deploymentName", "properties.model.name", "properties.model.format"],
    "azure-native:network:VirtualNetwork": ["virtualNetworkName"],
    "azure-native:network:Subnet": ["virtualNetworkName", "subnetName"],
    "azure-native:network:PrivateEndpoint": ["privateEndpointName", "subnet.id", "customNetworkInterfaceName"],
    "azure-native:network:PrivateDnsZoneGroup": ["privateEndpointName", "privateDnsZoneGroupName"],
    "azure-native:privatedns:PrivateZone": ["privateZoneName"],
    "azure-native:privatedns:VirtualNetworkLink": ["privateZoneName", "virtualNetworkLinkName", "virtualNetwork.id"],
    "azure-native:authorization:RoleAssignment": ["roleAssignmentName", "scope", "principalId", "roleDefinitionId", "principalType"],
    "azure-native:authorization:ManagementLockByScope": ["lockName", "scope"],
    "azure-native:operationalinsights:Workspace": ["workspaceName"],
    "azure-native:monitor:DiagnosticSetting": ["name", "resourceUri"],
    "azure-native:monitor:ActionGroup": ["actionGroupName"],
    "azure-native:monitor:MetricAlert": ["ruleName"],
    // The start is not here: Azure refuses to move it, so the program sets it once and ignores changes.
    "azure-native:consumption:Budget": ["budgetName", "scope"],
    "azure-native:managedidentity:UserAssignedIdentity": ["resourceName"],
    "azure-native:keyvault:Vault": ["vaultName"],
    "azure-native:keyvault:Key": ["vaultName", "keyName", "properties.kty", "properties.keySize"],
    "azure-native:cognitiveservices:RaiPolicy": ["accountName", "raiPolicyName"],
    "azure-native:cognitiveservices:RaiBlocklist": ["accountName", "raiBlocklistName"],
    "azure-native:cognitiveservices:RaiBlocklistItem": ["accountName", "raiBlocklistName", "raiBlocklistItemName"],
    "azure-native:apimanagement:Product": ["productId"],
    "azure-native:apimanagement:Subscription": ["sid"],
    "azure-native:applicationinsights:Component": ["resourceName"],
    "azure-native:operationalinsights:SavedSearch": ["workspaceName", "savedSearchId"],
};

/** What clients' failover depends on: removing one is dangerous, and says what goes with it. */
export const Failover: Record<string, string> = {
    "azure-native:cognitiveservices:Account": "account removed: its region's endpoint and deployments go, and with them a failover path",
    "azure-native:apimanagement:ApiManagementService": "gateway removed: clients calling it lose their endpoint and their failover",
    "azure-native:apimanagement:Backend": "gateway backend removed: the pool loses a region, or the gateway its pool",
    "azure-native:cognitiveservices:Project": "Foundry project removed: its team loses its endpoint, and the agents, files and connections in it",
    "azure-native:apimanagement:ApiOperation": "gateway operation removed: clients on that path get 404 from the gateway",
    "azure-native:apimanagement:Subscription": "a team's gateway subscription removed: its key stops working at the gateway",
};

/** What the account's data depends on: without the key (or the identity that reads it) it is unreadable. */
export const KeyMaterial = ["azure-native:keyvault:Vault", "azure-native:keyvault:Key", "azure-native:managedidentity:UserAssignedIdentity"];

/** What users depend on to hear about trouble: removing one is dangerous. */
export const Monitoring: Record<string, string> = {
    "azure-native:monitor:MetricAlert": "alert",
    "azure-native:monitor:ActionGroup": "action group",
    "azure-native:consumption:Budget": "budget",
};

export const ReplaceWhy: Record<string, string> = {
    "properties.customSubDomainName": "a new custom subdomain means a new endpoint for every client, and the old account is soft-deleted",
    "properties.model.name": "the deployment is recreated with another model: callers get different behaviour and a gap while it deploys",
    accountName: "a new account: new endpoint, new keys, deployments recreated",
    projectName: "a new project: a new endpoint for its team, and nothing in the old one moves over",
    sid: "a new gateway subscription: its team gets a new key, and the old one stops working (a renamed team)",
    keyName: "a new key: the account must move to it before the old one goes, or its data becomes unreadable",
    vaultName: "a new vault and key: the account must move to them before the old ones go, or its data becomes unreadable",
    resourceName: "a new identity: it needs its role on the key before the account can read its data again",
};
