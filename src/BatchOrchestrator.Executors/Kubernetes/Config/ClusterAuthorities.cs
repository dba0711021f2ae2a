using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BatchOrchestrator.Executors.Kubernetes.Config;

/// <summary>A cluster's CA certificates from PEM text, wherever it was named (a kubeconfig, a host setting).</summary>
internal static class ClusterAuthorities
{
    /// <param name="pem">The PEM text.</param>
    /// <param name="what">Where it came from, for messages ("cluster 'c' (/home/bo/.kube/config)").</param>
    public static X509Certificate2Collection FromPem(string pem, string what)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new KubernetesConfigException($"The certificate authority of {what} is not a PEM certificate: {e.Message}", e);
        }

        return authorities.Count > 0 ? authorities : throw new KubernetesConfigException($"The certificate authority of {what} holds no PEM certificate.");
    }
}
