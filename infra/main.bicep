// BatchOrchestrator on Azure: `azd up` provisions this, then deploys src/BatchOrchestrator.Functions.
// A resource group with the Function App (Flex Consumption, .NET 10 isolated), its storage (shared
// keys off: everything authenticates with the app's user-assigned identity), monitoring, and
// optionally an AKS cluster and an ACI resource group for container tasks.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; names and tags derive from it.')
param environmentName string

@minLength(1)
@description('Region of every resource (one that offers Flex Consumption).')
param location string

@description('Object id of the person running azd (azd sets AZURE_PRINCIPAL_ID): gets data access to the storage account and, with AKS, admin on the cluster to apply infra/k8s.')
param principalId string = ''

@description('Name of the project the app serves from its workflows/ folder.')
param projectName string = 'workflows'

@description('Largest number of Function App instances (Flex Consumption: 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of one instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Create an AKS cluster (Entra ID, Azure RBAC) whose Kubernetes Jobs run container tasks.')
param enableAks bool = false

@description('The namespace the Jobs run in (infra/k8s/namespace.yaml).')
param aksNamespace string = 'batch'

@description('The AKS cluster CA (base64 PEM, the kubeconfig certificate-authority-data) the app trusts its API server by; Bicep cannot read it, so it is set after the cluster exists (docs/deploy-azure.md).')
param aksCertificateAuthority string = ''

@description('Create a resource group for Azure Container Instances that run container tasks.')
param enableAci bool = false

var token = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

resource aciGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = if (enableAci) {
  name: 'rg-${environmentName}-aci'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-${token}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${token}'
    applicationInsightsName: 'appi-${token}'
    location: location
    tags: tags
    publisherPrincipalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${token}'
    location: location
    tags: tags
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv${token}'
    location: location
    tags: tags
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  params: {
    planName: 'plan-${token}'
    appName: 'func-${token}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    keyVaultUri: keyVault.outputs.uri
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    projectName: projectName
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    aksNamespace: aksNamespace
    aksName: aks.?outputs.name ?? ''
    aksServerFqdn: aks.?outputs.fqdn ?? ''
    aksCertificateAuthority: aksCertificateAuthority
    aciSubscriptionId: subscription().subscriptionId
    aciResourceGroup: enableAci ? aciGroup.name : ''
    aciLocation: location
  }
}

module aks 'modules/aks.bicep' = if (enableAks) {
  name: 'aks'
  scope: rg
  params: {
    name: 'aks-${token}'
    location: location
    tags: tags
    identityPrincipalId: identity.outputs.principalId
    adminPrincipalId: principalId
  }
}

module aci 'modules/aci-access.bicep' = if (enableAci) {
  name: 'aci-access'
  scope: aciGroup
  params: {
    identityPrincipalId: identity.outputs.principalId
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output FUNCTION_APP_NAME string = functionApp.outputs.name
output FUNCTION_APP_URL string = functionApp.outputs.url
output DURABLE_TASK_HUB string = functionApp.outputs.taskHubName
output STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output IDENTITY_CLIENT_ID string = identity.outputs.clientId
output IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output KEY_VAULT_NAME string = keyVault.outputs.name
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output AKS_NAME string = aks.?outputs.name ?? ''
output AKS_NAMESPACE string = enableAks ? aksNamespace : ''
output ACI_RESOURCE_GROUP string = enableAci ? aciGroup.name : ''
