namespace BatchOrchestrator.Executors.Kubernetes.Config;

/// <summary>One <c>users[]</c> entry. File paths are already absolute (resolved against <see cref="SourceFile"/>).</summary>
public sealed record KubeconfigUser(string Name, string SourceFile)
{
    public string? Token { get; init; }

    public string? TokenFile { get; init; }

    public string? ClientCertificate { get; init; }

    public string? ClientCertificateData { get; init; }

    public string? ClientKey { get; init; }

    public string? ClientKeyData { get; init; }

    public KubeconfigExec? Exec { get; init; }
}
