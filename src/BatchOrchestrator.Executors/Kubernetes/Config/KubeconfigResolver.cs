using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BatchOrchestrator.Executors.Kubernetes.Client;
using BatchOrchestrator.Executors.Kubernetes.Auth;

namespace BatchOrchestrator.Executors.Kubernetes.Config;

/// <summary>Turns a context of a merged <see cref="Kubeconfig"/> into a <see cref="KubernetesTarget"/>.</summary>
public static class KubeconfigResolver
{
    /// <summary>How often a <c>tokenFile</c> is read again even without a 401 (it may be rotated).</summary>
    public static readonly TimeSpan TokenFileRefresh = TimeSpan.FromMinutes(1);

    /// <param name="config">The merged kubeconfig.</param>
    /// <param name="contextName">The context to use; null: <c>current-context</c>.</param>
    /// <param name="tokenOverride">A token source that replaces the user's own credentials (AKS Entra ID through Azure.Identity instead of running <c>kubelogin</c>).</param>
    /// <param name="time">The clock for token caches.</param>
    /// <param name="cancellationToken">Stops reading files or running an exec plugin.</param>
    public static async Task<KubernetesTarget> ResolveAsync(
        Kubeconfig config,
        string? contextName,
        IRenewableTokenProvider? tokenOverride = null,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var name = contextName ?? config.CurrentContext
            ?? throw new KubernetesConfigException($"No Kubernetes context chosen: {config.Describe()} sets no current-context. Set BO_KUBERNETES_CONTEXT or run `kubectl config use-context NAME`.");
        if (!config.Contexts.TryGetValue(name, out var context))
        {
            throw new KubernetesConfigException($"The Kubernetes context '{name}' is not in {config.Describe()} (contexts: {List(config.Contexts.Keys)}).");
        }

        var where = $"context '{name}' of {context.SourceFile}";
        if (context.Cluster is null || !config.Clusters.TryGetValue(context.Cluster, out var cluster))
        {
            throw new KubernetesConfigException($"The {where} names cluster '{context.Cluster}', which is not in {config.Describe()} (clusters: {List(config.Clusters.Keys)}).");
        }

        KubeconfigUser? user = null;
        if (context.User is not null && !config.Users.TryGetValue(context.User, out user))
        {
            throw new KubernetesConfigException($"The {where} names user '{context.User}', which is not in {config.Describe()} (users: {List(config.Users.Keys)}).");
        }

        if (cluster.Server is not { } serverText || !Uri.TryCreate(serverText, UriKind.Absolute, out var server))
        {
            throw new KubernetesConfigException($"The cluster '{cluster.Name}' of {cluster.SourceFile} has no valid server address ('{cluster.Server}').");
        }

        var connection = new KubernetesConnection(server)
        {
            CertificateAuthorities = await AuthoritiesAsync(cluster, cancellationToken).ConfigureAwait(false),
            InsecureSkipTlsVerify = cluster.InsecureSkipTlsVerify,
            TlsServerName = cluster.TlsServerName,
        };
        if (tokenOverride is not null)
        {
            connection = connection with { Token = tokenOverride };
        }
        else if (user is not null)
        {
            connection = await WithUserAsync(connection, user, cluster, time, cancellationToken).ConfigureAwait(false);
        }

        return new KubernetesTarget(connection, context.Namespace, where);
    }

    private static async Task<KubernetesConnection> WithUserAsync(
        KubernetesConnection connection, KubeconfigUser user, KubeconfigCluster cluster, TimeProvider? time, CancellationToken cancellationToken)
    {
        var who = $"user '{user.Name}' of {user.SourceFile}";
        var certPem = await PemAsync(user.ClientCertificateData, user.ClientCertificate, $"{who}: client-certificate", cancellationToken).ConfigureAwait(false);
        var keyPem = await PemAsync(user.ClientKeyData, user.ClientKey, $"{who}: client-key", cancellationToken).ConfigureAwait(false);
        if ((certPem is null) != (keyPem is null))
        {
            throw new KubernetesConfigException($"The kubeconfig {who} has a client certificate without its key (or a key without a certificate): set both.");
        }

        if (certPem is not null)
        {
            connection = connection with { ClientCertificate = ClientCertificate(certPem, keyPem!, who) };
        }

        if (user.Token is { } token)
        {
            return connection with { Token = new k8s.Authentication.StringTokenProvider(token, "Bearer") };
        }

        if (user.TokenFile is { } file)
        {
            return connection with { Token = new FileTokenSource(file, TokenFileRefresh, time) };
        }

        if (user.Exec is { } exec)
        {
            var source = new ExecCredentialSource(exec, cluster, user.Name, time);
            var first = await source.GetCredentialAsync(cancellationToken).ConfigureAwait(false);
            if (first.Token is null)
            {
                // A certificate from a plugin is fixed into the TLS handler; it is asked for once, when the host starts.
                return connection with { ClientCertificate = ClientCertificate(first.ClientCertificateData!, first.ClientKeyData!, $"{who}: exec plugin") };
            }

            return connection with { Token = source };
        }

        return connection;
    }

    private static async Task<X509Certificate2Collection?> AuthoritiesAsync(KubeconfigCluster cluster, CancellationToken cancellationToken)
    {
        var pem = await PemAsync(cluster.CertificateAuthorityData, cluster.CertificateAuthority, $"cluster '{cluster.Name}' of {cluster.SourceFile}: certificate-authority", cancellationToken).ConfigureAwait(false);
        if (pem is null)
        {
            return null;
        }

        return ClusterAuthorities.FromPem(pem, $"cluster '{cluster.Name}' ({cluster.SourceFile})");
    }

    /// <summary>The PEM text from inline base64 data (which wins, as in kubectl) or from a file.</summary>
    private static async Task<string?> PemAsync(string? data, string? file, string what, CancellationToken cancellationToken)
    {
        if (data is not null)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
            catch (FormatException e)
            {
                throw new KubernetesConfigException($"The kubeconfig {what}-data is not base64: {e.Message}", e);
            }
        }

        if (file is null)
        {
            return null;
        }

        try
        {
            return await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubernetesConfigException($"Cannot read the kubeconfig {what} file {file}: {e.Message}", e);
        }
    }

    private static X509Certificate2 ClientCertificate(string certPem, string keyPem, string who)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPem(certPem, keyPem);
            // Re-imported from PKCS#12 so the private key is a persisted one TLS can use on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException e)
        {
            throw new KubernetesConfigException($"The client certificate of kubeconfig {who} cannot be loaded with its key: {e.Message}", e);
        }
    }

    private static string List(IEnumerable<string> names)
    {
        var all = names.Order(StringComparer.Ordinal).ToList();
        return all.Count == 0 ? "none" : string.Join(", ", all);
    }
}
