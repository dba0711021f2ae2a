using k8s.Authentication;

namespace BatchOrchestrator.Executors.Kubernetes.Auth;

/// <summary>
/// A token provider of the Kubernetes client that can be told its token was refused (401), so
/// the next request asks for a new one: a rotated service-account file, an exec plugin's
/// credential, an Entra ID token. The library's own providers cache until their own expiry only.
/// </summary>
public interface IRenewableTokenProvider : ITokenProvider
{
    /// <summary>The server refused the token (401): the next call must not reuse a cached one.</summary>
    void Invalidate();
}
