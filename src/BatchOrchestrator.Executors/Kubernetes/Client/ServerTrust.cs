using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace BatchOrchestrator.Executors.Kubernetes.Client;

/// <summary>
/// TLS for one connection, set on the library's handler before it is used: the cluster's own CA
/// (not the system's, when one is named) and the client certificate. The server certificate must
/// chain to one of the CAs <em>and</em> carry the host name (or the <c>tls-server-name</c>), as with
/// kubectl; the library's own CA check accepts a certificate naming any host.
/// </summary>
public static class ServerTrust
{
    public static void Configure(SocketsHttpHandler handler, KubernetesConnection connection)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.ClientCertificate is { } clientCertificate)
        {
            handler.SslOptions.ClientCertificates ??= [];
            handler.SslOptions.ClientCertificates.Add(clientCertificate);
        }

        // insecure-skip-tls-verify is the library's own (SkipTlsVerify); without a CA the system's trust applies.
        if (!connection.InsecureSkipTlsVerify && connection.CertificateAuthorities is { Count: > 0 } authorities)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedBy(authorities, certificate, errors);
        }
    }

    /// <summary>Chains to one of the CAs (custom root trust: the system store plays no part) and names the host.</summary>
    internal static bool TrustedBy(X509Certificate2Collection authorities, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = new X509Certificate2(certificate);
        return chain.Build(server);
    }
}
