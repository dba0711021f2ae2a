namespace BatchOrchestrator.Executors.Kubernetes.Auth;

/// <summary>
/// Gives the bearer token for the next request. Implementations cache and renew on their own
/// (a rotated service-account file, an exec plugin's expiry, an Entra token), so asking per
/// request is cheap.
/// </summary>
public interface IBearerTokenSource
{
    ValueTask<string> GetTokenAsync(CancellationToken cancellationToken);

    /// <summary>The server refused the token (401): the next call must not reuse a cached one.</summary>
    void Invalidate();
}
