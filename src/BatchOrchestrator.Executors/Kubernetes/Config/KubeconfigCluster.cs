namespace BatchOrchestrator.Executors.Kubernetes.Config;

/// <summary>One <c>clusters[]</c> entry. File paths are already absolute (resolved against <see cref="SourceFile"/>).</summary>
public sealed record KubeconfigCluster(string Name, string SourceFile)
{
    public string? Server { get; init; }

    public string? CertificateAuthority { get; init; }

    /// <summary>Base64 of the PEM, as written in the file.</summary>
    public string? CertificateAuthorityData { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    public string? TlsServerName { get; init; }
}
