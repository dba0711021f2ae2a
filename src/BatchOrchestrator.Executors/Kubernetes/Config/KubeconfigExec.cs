namespace BatchOrchestrator.Executors.Kubernetes.Config;

/// <summary>
/// A <c>user.exec</c> credential plugin (e.g. <c>kubelogin get-token ...</c>). <see cref="Command"/>
/// is absolute when the file gave a path with a slash, and left for <c>PATH</c> lookup otherwise
/// (kubectl's rule).
/// </summary>
public sealed record KubeconfigExec(string Command)
{
    public string ApiVersion { get; init; } = ExecCredentialProtocol.ApiVersion;

    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    public string? InstallHint { get; init; }

    public bool ProvideClusterInfo { get; init; }

    public string? InteractiveMode { get; init; }
}
