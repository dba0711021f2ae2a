using System.Security.Cryptography.X509Certificates;
using k8s.Authentication;

namespace BatchOrchestrator.Executors.Kubernetes.Client;

/// <summary>
/// Where the API server is and how to prove who we are: what a kubeconfig context, the
/// in-cluster service account or a named API server resolves to. <see cref="KubernetesClients"/>
/// turns it into the library's client.
/// </summary>
/// <param name="Server">The API server's base address, e.g. <c>https://10.0.0.1:443</c>.</param>
/// <param name="CertificateAuthorities">The CAs the server's certificate must chain to (null: the system's).</param>
/// <param name="InsecureSkipTlsVerify">Accept any server certificate (kubeconfig <c>insecure-skip-tls-verify</c>).</param>
/// <param name="ClientCertificate">A client certificate with its private key, or null.</param>
/// <param name="Token">Where bearer tokens come from, or null. One that is <see cref="Auth.IRenewableTokenProvider"/> is renewed after a 401.</param>
public sealed record KubernetesConnection(
    Uri Server,
    X509Certificate2Collection? CertificateAuthorities = null,
    bool InsecureSkipTlsVerify = false,
    X509Certificate2? ClientCertificate = null,
    ITokenProvider? Token = null)
{
    /// <summary>The name the server certificate must carry, when it differs from the host (kubeconfig <c>tls-server-name</c>).</summary>
    public string? TlsServerName { get; init; }
}
