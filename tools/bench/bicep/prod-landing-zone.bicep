// The prod stack's landing zone written in Bicep, as the yardstick of `npm run bench`: what a Bicep
// user compiles (`bicep build`) before review is set beside what this project renders offline.
// It declares what stacks/Pulumi.prod.yaml declares; it is never deployed.
targetScope = 'resourceGroup'

param location string = resourceGroup().location
param prefix string = 'contoso-prod'
param models array = [
  { name: 'chat', model: 'gpt-4o', version: '2024-11-20', capacity: 100 }
  { name: 'chat-mini', model: 'gpt-4o-mini', version: '2024-07-18', capacity: 200 }
]
param callers array = [
  { principalId: '7c9e6679-7425-40de-944b-e07fc1f90ae7', principalType: 'Group' }
]

var chatCaller = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd')
var tags = { environment: 'prod', owner: 'platform-team', costCenter: 'cc-1234', dataClassification: 'confidential' }

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${prefix}'
  location: location
  tags: tags
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 90 }
}

resource network 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: 'vnet-${prefix}'
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: ['10.60.0.0/24'] }
    subnets: [
      {
        name: 'snet-private-endpoints'
        properties: { addressPrefix: '10.60.0.0/27', privateEndpointNetworkPolicies: 'Disabled', defaultOutboundAccess: false }
      }
    ]
  }
}

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: 'oai-${prefix}'
  location: location
  kind: 'OpenAI'
  sku: { name: 'S0' }
  identity: { type: 'SystemAssigned' }
  tags: tags
  properties: {
    customSubDomainName: '${prefix}-${uniqueString(subscription().id, 'oai-${prefix}')}'
    disableLocalAuth: true
    publicNetworkAccess: 'Disabled'
    networkAcls: { defaultAction: 'Deny', bypass: 'None', ipRules: [], virtualNetworkRules: [] }
  }
}

// One write per account at a time: parallel deployment writes fail with 409.
@batchSize(1)
resource deployments 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = [
  for m in models: {
    parent: account
    name: m.name
    sku: { name: 'DataZoneStandard', capacity: m.capacity }
    properties: {
      model: { format: 'OpenAI', name: m.model, version: m.version }
      versionUpgradeOption: 'NoAutoUpgrade'
    }
  }
]

resource zone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: 'privatelink.openai.azure.com'
  location: 'global'
  tags: tags
}

resource zoneLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
  parent: zone
  name: 'vnetlink-${prefix}'
  location: 'global'
  properties: { registrationEnabled: false, virtualNetwork: { id: network.id } }
}

resource endpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: 'pe-oai-${prefix}'
  location: location
  tags: tags
  dependsOn: [deployments]
  properties: {
    customNetworkInterfaceName: 'nic-pe-oai-${prefix}'
    subnet: { id: network.properties.subnets[0].id }
    privateLinkServiceConnections: [
      { name: 'plsc-oai-${prefix}', properties: { privateLinkServiceId: account.id, groupIds: ['account'] } }
    ]
  }
}

resource zoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {
  parent: endpoint
  name: 'default'
  properties: { privateDnsZoneConfigs: [{ name: 'privatelink-openai-azure-com', properties: { privateDnsZoneId: zone.id } }] }
}

resource access 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for c in callers: {
    scope: account
    name: guid(account.id, c.principalId, chatCaller)
    properties: { roleDefinitionId: chatCaller, principalId: c.principalId, principalType: c.principalType }
  }
]

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: account
  name: 'diag-oai-${prefix}'
  properties: {
    workspaceId: workspace.id
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

resource lock 'Microsoft.Authorization/locks@2020-05-01' = {
  scope: account
  name: 'lock-oai-${prefix}'
  dependsOn: [deployments]
  properties: { level: 'CanNotDelete', notes: 'Blocks deleting or replacing the account and its model deployments.' }
}

output endpoint string = account.properties.endpoint
