using Azure.Core;
using Azure.Identity;
using BatchOrchestrator.Executors.Kubernetes.Config;

namespace BatchOrchestrator.Cli.Local;

/// <summary>What <see cref="ExecutorConfiguration"/> needs besides the environment; tests replace these.</summary>
public sealed record ExecutorConfigurationOptions
{
    /// <summary>The Azure credential of the host (Entra ID tokens for AKS, ARM for ACI).</summary>
    public Func<TokenCredential> Credential { get; init; } = () => new DefaultAzureCredential();

    public string ServiceAccountFolder { get; init; } = InClusterConfig.DefaultFolder;

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
