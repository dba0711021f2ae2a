using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace BatchOrchestrator.Executors.Kubernetes.Api;

/// <summary>
/// The HTTP transport for one connection: TLS trust of the cluster's own CA (not the system's,
/// when the kubeconfig names one), the client certificate, and pooled connections. Watches and
/// log follows are long requests, so there is no client-wide timeout; each call sets its own.
/// </summary>
public static class KubernetesHttp
{
    public static HttpClient CreateClient(KubernetesConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var ssl = new SslClientAuthenticationOptions();
        if (connection.TlsServerName is { } serverName)
        {
            ssl.TargetHost = serverName;
        }

        if (connection.ClientCertificate is { } clientCertificate)
        {
            ssl.ClientCertificates = [clientCertificate];
        }

        if (connection.InsecureSkipTlsVerify)
        {
            ssl.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (connection.CertificateAuthorities is { Count: > 0 } authorities)
        {
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedBy(authorities, certificate, errors);
        }

        var handler = new SocketsHttpHandler
        {
            SslOptions = ssl,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            EnableMultipleHttp2Connections = true,
        };
        return new HttpClient(handler) { BaseAddress = connection.Server, Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// The server certificate must chain to one of the kubeconfig's CAs (custom root trust) and
    /// carry the expected name; the system store plays no part, as with kubectl.
    /// </summary>
    private static bool TrustedBy(X509Certificate2Collection authorities, X509Certificate? certificate, SslPolicyErrors errors)
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
