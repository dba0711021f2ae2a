namespace BatchOrchestrator.Executors.Kubernetes.Client;

/// <summary>How a request the API server throttled (429) or failed (5xx, a broken connection) is retried.</summary>
/// <param name="MaxRetries">Retries after the first try; then the answer is the caller's.</param>
/// <param name="FirstDelay">The first backoff (doubled each retry, with jitter) when the server names no <c>Retry-After</c>.</param>
/// <param name="MaxDelay">The longest single wait, <c>Retry-After</c> included: one poll must stay short.</param>
public sealed record TransientRetryOptions(int MaxRetries = 4, TimeSpan? FirstDelay = null, TimeSpan? MaxDelay = null)
{
    public TimeSpan Delay => FirstDelay ?? TimeSpan.FromMilliseconds(500);

    public TimeSpan LongestDelay => MaxDelay ?? TimeSpan.FromSeconds(30);
}
