using System.Security.Cryptography.X509Certificates;
using BatchOrchestrator.Executors.Kubernetes.Auth;

namespace BatchOrchestrator.Executors.Kubernetes.Api;

/// <summary>
/// Where the API server is and how to prove who we are: what a kubeconfig context or the
/// in-cluster service account resolves to.
/// </summary>
/// <param name="Server">The API server's base address, e.g. <c>https://10.0.0.1:443</c>.</param>
/// <param name="CertificateAuthorities">The CAs the server's certificate must chain to (null: the system's).</param>
/// <param name="InsecureSkipTlsVerify">Accept any server certificate (kubeconfig <c>insecure-skip-tls-verify</c>).</param>
/// <param name="ClientCertificate">A client certificate with its private key, or null.</param>
/// <param name="Token">Where bearer tokens come from, or null.</param>
public sealed record KubernetesConnection(
    Uri Server,
    X509Certificate2Collection? CertificateAuthorities = null,
    bool InsecureSkipTlsVerify = false,
    X509Certificate2? ClientCertificate = null,
    IBearerTokenSource? Token = null)
{
    /// <summary>The name the server certificate must carry, when it differs from the host (kubeconfig <c>tls-server-name</c>).</summary>
    public string? TlsServerName { get; init; }
}
