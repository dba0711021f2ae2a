using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BatchOrchestrator.Executors.Kubernetes.Client;
using BatchOrchestrator.Executors.Kubernetes.Auth;

namespace BatchOrchestrator.Executors.Kubernetes.Config;

/// <summary>
/// The engine running in a pod: the API server from <c>KUBERNETES_SERVICE_HOST</c>/<c>_PORT</c>,
/// the pod's service account (token, CA, namespace) from the mounted secret folder. The token is
/// a projected one the kubelet rotates, so it is read again every minute and after a 401.
/// </summary>
public static class InClusterConfig
{
    public const string DefaultFolder = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>True when the environment says we run in a pod (both variables set).</summary>
    public static bool IsAvailable(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.TryGetValue("KUBERNETES_SERVICE_HOST", out var host) && host.Length > 0
            && environment.TryGetValue("KUBERNETES_SERVICE_PORT", out var port) && port.Length > 0;
    }

    /// <param name="environment">The process environment.</param>
    /// <param name="folder">The service-account folder (a test passes its own).</param>
    /// <param name="time">The clock of the token's re-read.</param>
    /// <param name="cancellationToken">Stops reading the files.</param>
    public static async Task<KubernetesTarget> LoadAsync(
        IReadOnlyDictionary<string, string> environment, string folder = DefaultFolder, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        if (!IsAvailable(environment))
        {
            throw new KubernetesConfigException("Not running in a Kubernetes pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set.");
        }

        var host = environment["KUBERNETES_SERVICE_HOST"];
        var port = environment["KUBERNETES_SERVICE_PORT"];
        // An IPv6 service address needs brackets in a URL.
        var server = new Uri($"https://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}");
        var tokenPath = Path.Combine(folder, "token");
        if (!File.Exists(tokenPath))
        {
            throw new KubernetesConfigException($"In a pod, but there is no service-account token at {tokenPath}: is automountServiceAccountToken false for this pod?");
        }

        var authorities = new X509Certificate2Collection();
        var caPath = Path.Combine(folder, "ca.crt");
        try
        {
            authorities.ImportFromPemFile(caPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new KubernetesConfigException($"Cannot read the cluster CA of the service account at {caPath}: {e.Message}", e);
        }

        var nsPath = Path.Combine(folder, "namespace");
        var ns = File.Exists(nsPath) ? (await File.ReadAllTextAsync(nsPath, cancellationToken).ConfigureAwait(false)).Trim() : null;
        var connection = new KubernetesConnection(server, authorities, Token: new FileTokenSource(tokenPath, KubeconfigResolver.TokenFileRefresh, time));
        return new KubernetesTarget(connection, string.IsNullOrEmpty(ns) ? null : ns, $"the in-cluster service account ({folder})");
    }
}
