namespace BatchOrchestrator.Executors.Tests.Kubernetes.Config;

/// <summary>A temporary folder of kubeconfig files (and the files they point to) for one test.</summary>
internal sealed class KubeconfigFiles : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("bo-kubeconfig-").FullName;

    public string Write(string relativePath, string text)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
