using System.Net;

namespace BatchOrchestrator.Engine.Operators.Builtin.Http;

/// <summary>
/// How <c>http&gt;</c> retries ephemeral errors (5xx, 408, 429, connection errors, timeouts) inside one
/// task try when its <c>retry</c> option is on. Bounded and short on purpose: it rides out a blip
/// without holding an activity worker for long. Anything longer is <c>_retry</c>'s job — when these
/// requests are used up the task try fails, and <c>_retry</c> (if set) runs a new try, with its own
/// log and its own round of requests, after a durable timer.
/// </summary>
/// <param name="MaxRequests">Requests per task try, the first included.</param>
/// <param name="FirstDelay">Wait before the second request; doubled before each later one.</param>
/// <param name="MaxDelay">Cap on any wait, a server's <c>Retry-After</c> included.</param>
public sealed record HttpRetryPolicy(int MaxRequests, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    /// <summary>4 requests, waiting 1s, 2s, 4s between them: at most 7s of waiting per task try.</summary>
    public static HttpRetryPolicy Default { get; } = new(4, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8));

    /// <summary>
    /// Whether a response status is worth another request: server errors, and the two client errors
    /// Digdag also retries (408 Request Timeout, 429 Too Many Requests). Other 4xx mean the request
    /// itself is wrong, so repeating it cannot help.
    /// </summary>
    public static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>
    /// The wait before request number <paramref name="nextRequest"/> (2 for the first retry): the
    /// server's <c>Retry-After</c> when it asks for longer than the backoff, never above <see cref="MaxDelay"/>.
    /// </summary>
    public TimeSpan DelayBefore(int nextRequest, TimeSpan? retryAfter)
    {
        var backoff = FirstDelay * Math.Pow(2, Math.Max(0, nextRequest - 2));
        if (retryAfter is { } asked && asked > backoff)
        {
            backoff = asked;
        }

        return backoff > MaxDelay ? MaxDelay : backoff;
    }
}
