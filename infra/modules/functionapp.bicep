// The Function App on a Flex Consumption plan (.NET 10 isolated worker). It reaches storage, App
// Insights, AKS and ACI as its user-assigned identity; no secret is in its settings.
param planName string
param appName string
param location string
param tags { *: string }
param identityId string
param identityClientId string
@description('The vault of the project secrets (BO_SECRETS=keyvault).')
param keyVaultUri string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsConnectionString string
param projectName string
param maximumInstanceCount int
param instanceMemoryMB int

@description('The namespace Kubernetes Jobs run in.')
param aksNamespace string

@description('The AKS cluster; empty when there is none.')
param aksName string

@description('The AKS API server host name (the cluster fqdn); empty when there is none.')
param aksServerFqdn string

@description('The AKS cluster CA, base64 PEM; empty until it is set (docs/deploy-azure.md).')
param aksCertificateAuthority string

param aciSubscriptionId string

@description('The resource group container groups are created in; empty when ACI is off.')
param aciResourceGroup string

param aciLocation string

// host.json names the hub after this setting, so every deployment slot or copy can have its own.
var taskHubName = 'batchorchestrator'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

var storageSettings = {
  AzureWebJobsStorage__accountName: storage.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
}

var appSettings = union(storageSettings, {
  // The host's logs and the worker's OpenTelemetry export (the engine's metrics and spans,
  // docs/observability.md) both go to Application Insights by this, signed in as the identity.
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  AZURE_CLIENT_ID: identityClientId
  BO_TASK_HUB: taskHubName
  BO_PROJECT_NAME: projectName
  // Project secrets in Key Vault, shared by every instance, reached as the identity.
  BO_SECRETS: 'keyvault'
  BO_KEYVAULT_URI: keyVaultUri
  // Task logs, params, run records, schedule state and pushed projects in Blob storage, reached as the identity (AZURE_CLIENT_ID).
  BO_LOG_BLOB_ACCOUNT_URL: storage.properties.primaryEndpoints.blob
  BO_LOG_BLOB_CONTAINER: 'logs'
  BO_PARAM_BLOB_ACCOUNT_URL: storage.properties.primaryEndpoints.blob
  BO_PARAM_BLOB_CONTAINER: 'params'
  BO_RUN_BLOB_ACCOUNT_URL: storage.properties.primaryEndpoints.blob
  BO_RUN_BLOB_CONTAINER: 'runs'
  BO_PROJECT_BLOB_ACCOUNT_URL: storage.properties.primaryEndpoints.blob
  BO_PROJECT_BLOB_CONTAINER: 'projects'
}, empty(aksName) ? {} : {
  // The app has no kubeconfig: it names the API server and signs in as its identity (Entra ID tokens for AKS).
  BO_KUBERNETES_SERVER: 'https://${aksServerFqdn}:443'
  BO_KUBERNETES_AUTH: 'entra'
  BO_KUBERNETES_NAMESPACE: aksNamespace
}, empty(aksName) || empty(aksCertificateAuthority) ? {} : {
  BO_KUBERNETES_CA: aksCertificateAuthority
}, empty(aciResourceGroup) ? {} : {
  BO_ACI_SUBSCRIPTION: aciSubscriptionId
  BO_ACI_RESOURCE_GROUP: aciResourceGroup
  BO_ACI_LOCATION: aciLocation
})

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: appSettings
  }
}

output name string = app.name
output url string = 'https://${app.properties.defaultHostName}'
output taskHubName string = taskHubName
