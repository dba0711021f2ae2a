using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using BatchOrchestrator.Executors.Kubernetes;
using BatchOrchestrator.Executors.Kubernetes.Config;

namespace BatchOrchestrator.Executors.Hosting;

/// <summary>What <see cref="ExecutorConfiguration"/> needs besides the environment; tests replace these.</summary>
public sealed record ExecutorConfigurationOptions
{
    /// <summary>The Azure credential of the host (Entra ID tokens for AKS, ARM for ACI).</summary>
    public Func<TokenCredential> Credential { get; init; } = () => new DefaultAzureCredential();

    /// <summary>Key Vault client options (the secret store and ACI's <c>container.secrets</c>); a test sets the transport.</summary>
    public Func<SecretClientOptions> KeyVaultClientOptions { get; init; } = () => new SecretClientOptions();

    /// <summary>The Kubernetes executor's settings before the environment's namespace is applied (poll interval, timeouts).</summary>
    public KubernetesExecutorOptions Kubernetes { get; init; } = new();

    public string ServiceAccountFolder { get; init; } = InClusterConfig.DefaultFolder;

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
