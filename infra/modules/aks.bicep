// An AKS cluster for container tasks: Entra ID sign-in with Azure RBAC, no local accounts. The
// app's identity may only fetch a user kubeconfig here; what it may do inside the cluster is the
// namespace Role of infra/k8s, bound to it (docs/deploy-azure.md), so it manages Jobs in that
// namespace and nothing else.
param name string
param location string
param tags { *: string }
param identityPrincipalId string

@description('Who applies infra/k8s (cluster admin); empty to skip.')
param adminPrincipalId string = ''

param nodeVmSize string = 'Standard_D2s_v5'
param nodeCount int = 2

var clusterUser = '4abbcc35-e782-43d8-92c5-2d3f1bd2253f'
var rbacClusterAdmin = 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b'

resource cluster 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: name
  location: location
  tags: tags
  identity: { type: 'SystemAssigned' }
  properties: {
    dnsPrefix: name
    disableLocalAccounts: true
    aadProfile: {
      managed: true
      enableAzureRBAC: true
    }
    agentPoolProfiles: [
      {
        name: 'system'
        mode: 'System'
        count: nodeCount
        vmSize: nodeVmSize
        osType: 'Linux'
      }
    ]
  }
}

resource identityUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(cluster.id, identityPrincipalId, clusterUser)
  scope: cluster
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', clusterUser)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource admin 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(adminPrincipalId)) {
  name: guid(cluster.id, adminPrincipalId, rbacClusterAdmin)
  scope: cluster
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', rbacClusterAdmin)
    principalId: adminPrincipalId
    principalType: 'User'
  }
}

output name string = cluster.name
output fqdn string = cluster.properties.fqdn
