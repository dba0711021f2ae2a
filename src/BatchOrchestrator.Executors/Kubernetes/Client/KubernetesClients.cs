using BatchOrchestrator.Executors.Kubernetes.Auth;
using k8s;

namespace BatchOrchestrator.Executors.Kubernetes.Client;

/// <summary>
/// Makes the KubernetesClient library's client for a <see cref="KubernetesConnection"/>, with three
/// hooks on the library's own extension points where it falls short:
/// <list type="bullet">
/// <item><see cref="ServerTrust"/> (its message-handler setup): a cluster CA is trusted without
/// dropping the host-name check, which the library's own CA handling skips.</item>
/// <item><see cref="UnauthorizedRetryHandler"/> (a delegating handler): a 401 renews the token and
/// sends the request once more (rotated service-account tokens, expired exec credentials).</item>
/// <item><see cref="TransientRetryHandler"/> (a delegating handler): 429 and 5xx answers and broken
/// connections are retried with backoff, honouring <c>Retry-After</c>.</item>
/// </list>
/// </summary>
public static class KubernetesClients
{
    /// <param name="connection">The API server and credentials.</param>
    /// <param name="time">The clock of the retry backoff (tests pass a fake one).</param>
    /// <param name="retry">How throttled and failed requests are retried; null: the defaults.</param>
    public static IKubernetes Create(KubernetesConnection connection, TimeProvider? time = null, TransientRetryOptions? retry = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var config = new KubernetesClientConfiguration
        {
            Host = connection.Server.ToString(),
            SkipTlsVerify = connection.InsecureSkipTlsVerify,
            // The library sends it as the Host header, which the handler also takes for SNI and the certificate's name.
            TlsServerName = connection.TlsServerName,
            TokenProvider = connection.Token,
            // SslCaCerts stays unset: given them, the library would install its own check, which skips the host name.
            FirstMessageHandlerSetup = handler => ServerTrust.Configure(handler, connection),
        };
        return new k8s.Kubernetes(
            config,
            new TransientRetryHandler(retry ?? new TransientRetryOptions(), time ?? TimeProvider.System),
            new UnauthorizedRetryHandler(connection.Token as IRenewableTokenProvider));
    }
}
