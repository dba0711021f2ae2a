namespace BatchOrchestrator.Executors.Kubernetes.Config;

/// <summary>
/// The merged view of one or more kubeconfig files, by kubectl's rules: for each name the first
/// file that defines it wins; <c>current-context</c> comes from the first file that sets it.
/// </summary>
/// <param name="Files">The files read, in order (files that did not exist are not listed).</param>
/// <param name="CurrentContext">The context used when the host names none.</param>
/// <param name="Clusters">Clusters by name.</param>
/// <param name="Users">Users by name.</param>
/// <param name="Contexts">Contexts by name.</param>
public sealed record Kubeconfig(
    IReadOnlyList<string> Files,
    string? CurrentContext,
    IReadOnlyDictionary<string, KubeconfigCluster> Clusters,
    IReadOnlyDictionary<string, KubeconfigUser> Users,
    IReadOnlyDictionary<string, KubeconfigContext> Contexts)
{
    /// <summary>Where the files came from, for error messages.</summary>
    public string Describe() => Files.Count == 0 ? "no kubeconfig file" : string.Join(", ", Files);
}
