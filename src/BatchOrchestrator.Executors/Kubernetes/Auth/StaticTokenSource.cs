namespace BatchOrchestrator.Executors.Kubernetes.Auth;

/// <summary>A token written in the kubeconfig (<c>user.token</c>).</summary>
public sealed class StaticTokenSource(string token) : IBearerTokenSource
{
    public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(token);

    public void Invalidate()
    {
        // Nothing to renew: the same token is all there is.
    }
}
