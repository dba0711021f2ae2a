namespace BatchOrchestrator.Executors.Kubernetes.Config;

/// <summary>Which kubeconfig files a host reads: <c>KUBECONFIG</c> (several, ':'-separated) or <c>~/.kube/config</c>.</summary>
public static class KubeconfigPaths
{
    public static IReadOnlyList<string> From(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.TryGetValue("KUBECONFIG", out var list) && !string.IsNullOrWhiteSpace(list))
        {
            // Empty items (a trailing ':') are skipped and a file named twice is read once, as kubectl does.
            return list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(Path.GetFullPath)
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }

        var home = environment.TryGetValue("HOME", out var h) && h.Length > 0 ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return [Path.Combine(home, ".kube", "config")];
    }
}
