namespace BatchOrchestrator.Executors.Kubernetes.Config;

/// <summary>Reads and merges kubeconfig files the way kubectl does.</summary>
public static class KubeconfigLoader
{
    /// <summary>
    /// Merges <paramref name="paths"/> in order: for each cluster, user and context name the first
    /// file that defines it wins, and <c>current-context</c> is the first one set. Files that do
    /// not exist are skipped (kubectl ignores them too); a file that exists but cannot be read
    /// or parsed is an error naming it.
    /// </summary>
    public static async Task<Kubeconfig> LoadAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        string? current = null;
        var clusters = new Dictionary<string, KubeconfigCluster>(StringComparer.Ordinal);
        var users = new Dictionary<string, KubeconfigUser>(StringComparer.Ordinal);
        var contexts = new Dictionary<string, KubeconfigContext>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                continue;
            }

            string text;
            try
            {
                text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new KubernetesConfigException($"Cannot read the kubeconfig file {path}: {e.Message}", e);
            }

            var content = KubeconfigFileReader.Read(path, text);
            files.Add(path);
            current ??= content.CurrentContext;
            foreach (var c in content.Clusters)
            {
                clusters.TryAdd(c.Name, c);
            }

            foreach (var u in content.Users)
            {
                users.TryAdd(u.Name, u);
            }

            foreach (var c in content.Contexts)
            {
                contexts.TryAdd(c.Name, c);
            }
        }

        return new Kubeconfig(files, current, clusters, users, contexts);
    }
}
