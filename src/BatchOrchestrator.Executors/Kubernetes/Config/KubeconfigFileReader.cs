using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BatchOrchestrator.Executors.Kubernetes.Config;

/// <summary>
/// Reads one kubeconfig file. The YAML tree is walked by hand (not bound to classes) so that
/// unknown fields are ignored, every error can name the file and the entry, and each relative
/// path is resolved against the folder of the file that holds it.
/// </summary>
internal static class KubeconfigFileReader
{
    public sealed record Content(
        string? CurrentContext,
        IReadOnlyList<KubeconfigCluster> Clusters,
        IReadOnlyList<KubeconfigUser> Users,
        IReadOnlyList<KubeconfigContext> Contexts);

    public static Content Read(string path, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new KubernetesConfigException($"The kubeconfig file {path} is not valid YAML (line {e.Start.Line}): {e.Message}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode)
        {
            return new Content(null, [], [], []);
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new KubernetesConfigException($"The kubeconfig file {path} is not a mapping (expected apiVersion, clusters, users, contexts).");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        return new Content(
            Scalar(root, "current-context"),
            Named(root, "clusters", "cluster", path, (name, m) => Cluster(name, m, path, folder)),
            Named(root, "users", "user", path, (name, m) => User(name, m, path, folder)),
            Named(root, "contexts", "context", path, (name, m) => new KubeconfigContext(name, path)
            {
                Cluster = Scalar(m, "cluster"),
                User = Scalar(m, "user"),
                Namespace = Scalar(m, "namespace"),
            }));
    }

    private static KubeconfigCluster Cluster(string name, YamlMappingNode m, string path, string folder) => new(name, path)
    {
        Server = Scalar(m, "server"),
        CertificateAuthority = FilePath(Scalar(m, "certificate-authority"), folder),
        CertificateAuthorityData = Scalar(m, "certificate-authority-data"),
        InsecureSkipTlsVerify = Flag(m, "insecure-skip-tls-verify", path, $"cluster '{name}'"),
        TlsServerName = Scalar(m, "tls-server-name"),
    };

    private static KubeconfigUser User(string name, YamlMappingNode m, string path, string folder) => new(name, path)
    {
        Token = Scalar(m, "token"),
        TokenFile = FilePath(Scalar(m, "tokenFile"), folder),
        ClientCertificate = FilePath(Scalar(m, "client-certificate"), folder),
        ClientCertificateData = Scalar(m, "client-certificate-data"),
        ClientKey = FilePath(Scalar(m, "client-key"), folder),
        ClientKeyData = Scalar(m, "client-key-data"),
        Exec = Child(m, "exec") is { } exec ? Exec(exec, path, name, folder) : null,
    };

    private static KubeconfigExec Exec(YamlMappingNode m, string path, string user, string folder)
    {
        var command = Scalar(m, "command")
            ?? throw new KubernetesConfigException($"The kubeconfig file {path}: user '{user}' has an exec plugin without a command.");
        // A bare name is looked up on PATH; only a path with a slash is relative to the file.
        if (command.Contains('/', StringComparison.Ordinal))
        {
            command = FilePath(command, folder)!;
        }

        var env = new List<KeyValuePair<string, string>>();
        if (m.Children.TryGetValue(new YamlScalarNode("env"), out var envNode) && envNode is YamlSequenceNode envList)
        {
            foreach (var item in envList.OfType<YamlMappingNode>())
            {
                var key = Scalar(item, "name")
                    ?? throw new KubernetesConfigException($"The kubeconfig file {path}: user '{user}' has an exec env entry without a name.");
                env.Add(new(key, Scalar(item, "value") ?? ""));
            }
        }

        return new KubeconfigExec(command)
        {
            ApiVersion = Scalar(m, "apiVersion") ?? ExecCredentialProtocol.ApiVersion,
            Args = m.Children.TryGetValue(new YamlScalarNode("args"), out var args) && args is YamlSequenceNode list
                ? list.OfType<YamlScalarNode>().Select(a => a.Value ?? "").ToList()
                : [],
            Env = env,
            InstallHint = Scalar(m, "installHint"),
            ProvideClusterInfo = Flag(m, "provideClusterInfo", path, $"user '{user}'"),
            InteractiveMode = Scalar(m, "interactiveMode"),
        };
    }

    private static List<T> Named<T>(YamlMappingNode root, string listKey, string itemKey, string path, Func<string, YamlMappingNode, T> read)
    {
        var result = new List<T>();
        if (!root.Children.TryGetValue(new YamlScalarNode(listKey), out var node) || node is not YamlSequenceNode list)
        {
            return result;
        }

        var index = 0;
        foreach (var item in list)
        {
            if (item is not YamlMappingNode entry || Scalar(entry, "name") is not { Length: > 0 } name)
            {
                throw new KubernetesConfigException($"The kubeconfig file {path}: {listKey}[{index}] has no name.");
            }

            result.Add(read(name, Child(entry, itemKey) ?? new YamlMappingNode()));
            index++;
        }

        return result;
    }

    private static YamlMappingNode? Child(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node as YamlMappingNode : null;

    private static string? Scalar(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { Length: > 0 } value } ? value : null;

    private static bool Flag(YamlMappingNode m, string key, string path, string entry) => Scalar(m, key) switch
    {
        null => false,
        var v when bool.TryParse(v, out var b) => b,
        var v => throw new KubernetesConfigException($"The kubeconfig file {path}: {entry} has {key}: '{v}' (expected true or false)."),
    };

    private static string? FilePath(string? value, string folder) =>
        value is null ? null : Path.GetFullPath(value, folder);
}
