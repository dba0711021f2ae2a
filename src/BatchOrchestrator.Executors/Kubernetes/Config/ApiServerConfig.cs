using System.Text;
using BatchOrchestrator.Executors.Kubernetes.Client;
using BatchOrchestrator.Executors.Kubernetes.Auth;

namespace BatchOrchestrator.Executors.Kubernetes.Config;

/// <summary>
/// An API server named directly, for hosts with neither a kubeconfig nor a pod's service account
/// (the Functions app reaching AKS): its https URL, the cluster CA its certificate chains to, and
/// bearer tokens from the host's own identity (Entra ID for AKS).
/// </summary>
public static class ApiServerConfig
{
    public const string ServerVariable = "BO_KUBERNETES_SERVER";
    public const string CaVariable = "BO_KUBERNETES_CA";

    /// <param name="server">The API server's URL (<c>https://&lt;fqdn&gt;:443</c>).</param>
    /// <param name="ca">The cluster CA as PEM, or base64 of PEM (a kubeconfig's <c>certificate-authority-data</c>); null trusts the system's CAs.</param>
    /// <param name="token">Where bearer tokens come from.</param>
    /// <exception cref="KubernetesConfigException">The URL is not https, or the CA is not a PEM certificate.</exception>
    public static KubernetesTarget Load(string server, string? ca, IRenewableTokenProvider token)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new KubernetesConfigException(
                $"{ServerVariable} is '{server}': expected the API server's https URL, such as https://mycluster-dns-1a2b3c4d.hcp.westeurope.azmk8s.io:443 (az aks show --query fqdn).");
        }

        var authorities = ca is null ? null : ClusterAuthorities.FromPem(Pem(ca), CaVariable);
        return new KubernetesTarget(new KubernetesConnection(uri, authorities, Token: token), null, $"the API server {uri} ({ServerVariable})");
    }

    /// <summary>PEM as given, or decoded from base64 (app settings are one line, so base64 is the usual form).</summary>
    private static string Pem(string ca)
    {
        if (ca.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            return ca;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(ca));
        }
        catch (FormatException)
        {
            throw new KubernetesConfigException($"{CaVariable} is neither PEM nor base64 of PEM (a kubeconfig's certificate-authority-data).");
        }
    }
}
