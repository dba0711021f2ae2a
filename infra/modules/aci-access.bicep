// Deployed into the resource group kept for Azure Container Instances: the app's identity may
// create, read and delete container groups there, and nowhere else.
param identityPrincipalId string

var contributor = 'b24988ac-6180-42a0-ab88-20f7382dd24c'

resource access 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, identityPrincipalId, contributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', contributor)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}
