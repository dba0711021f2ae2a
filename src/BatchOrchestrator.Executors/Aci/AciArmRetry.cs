namespace BatchOrchestrator.Executors.Aci;

/// <summary>
/// How one ARM call is repeated when ARM answers 429 (throttled), 408 or 5xx, or the connection
/// drops: after the wait the answer's <c>Retry-After</c> asks for, else after
/// <see cref="FirstDelay"/>, doubled each time up to <see cref="MaxDelay"/>; at most
/// <see cref="MaxTries"/> sends, and never more than <see cref="MaxWait"/> of waiting in all (an
/// activity must stay short; past that the try fails and <c>_retry</c> decides).
/// </summary>
public sealed record AciArmRetry
{
    public int MaxTries { get; init; } = 5;

    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(16);

    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether ARM may answer differently later: throttling and its own failures, not refusals.</summary>
    public static bool IsTransient(int status) => status is 408 or 429 or >= 500;

    /// <summary>The wait before send number <paramref name="tries"/> + 1: what the server asked for, else the doubling backoff.</summary>
    public TimeSpan Delay(int tries, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked)
        {
            return asked < TimeSpan.Zero ? TimeSpan.Zero : asked;
        }

        var doubled = FirstDelay * Math.Pow(2, Math.Min(tries - 1, 30));
        return doubled < MaxDelay ? doubled : MaxDelay;
    }
}
