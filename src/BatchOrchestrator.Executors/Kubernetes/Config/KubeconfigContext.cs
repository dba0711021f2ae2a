namespace BatchOrchestrator.Executors.Kubernetes.Config;

/// <summary>One <c>contexts[]</c> entry: a cluster, a user, and the namespace Jobs go to by default.</summary>
public sealed record KubeconfigContext(string Name, string SourceFile)
{
    public string? Cluster { get; init; }

    public string? User { get; init; }

    public string? Namespace { get; init; }
}
