using System.Net;
using Polly;
using Polly.Retry;

namespace BatchOrchestrator.Executors.Kubernetes.Client;

/// <summary>
/// Retries what the API server may answer differently a moment later — 429 Too Many Requests (API
/// priority and fairness), 5xx, a broken connection — with exponential backoff and jitter, waiting
/// what <c>Retry-After</c> says when the server says it. Refusals (403, 422, ...) pass through at
/// once. A create retried after a lost answer meets 409 AlreadyExists, which the executor adopts.
/// </summary>
internal sealed class TransientRetryHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public TransientRetryHandler(TransientRetryOptions options, TimeProvider time)
    {
        var retry = new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.Delay,
            MaxDelay = options.LongestDelay,
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                .Handle<HttpRequestException>()
                .HandleResult(IsTransient),
            DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.LongestDelay)),
            OnRetry = args =>
            {
                // The answer is replaced by the retry's: free its connection.
                args.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        };
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }.AddRetry(retry).Build();
    }

    /// <summary>Throttled, or the server (or a proxy before it) failed; 501 Not Implemented will not change.</summary>
    public static bool IsTransient(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.TooManyRequests || ((int)response.StatusCode >= 500 && response.StatusCode != HttpStatusCode.NotImplemented);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(
            static async (state, token) => await state.Handler.BaseSendAsync(state.Request, token).ConfigureAwait(false),
            (Handler: this, Request: request),
            cancellationToken).AsTask();

    private Task<HttpResponseMessage> BaseSendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);

    /// <summary>The server's <c>Retry-After</c> (seconds or a date), capped; null lets the backoff decide.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan longest)
    {
        var header = response?.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return wait is { } w ? TimeSpan.FromTicks(Math.Clamp(w.Ticks, 0, longest.Ticks)) : null;
    }
}
