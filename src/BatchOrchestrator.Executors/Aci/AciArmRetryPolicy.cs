using System.Globalization;
using System.Runtime.ExceptionServices;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace BatchOrchestrator.Executors.Aci;

/// <summary>
/// The ARM client's retry policy (Azure.Core's <see cref="ClientOptions.RetryPolicy"/> hook):
/// sends a call again as <see cref="AciArmRetry"/> says when ARM throttles or fails on its side,
/// waiting on the executor's <see cref="TimeProvider"/>. Azure.Core's own policy waits on the real
/// clock, honours any <c>Retry-After</c> however long, and cannot be given a clock; this one keeps
/// every wait bounded and testable. Refusals pass straight through.
/// </summary>
internal sealed class AciArmRetryPolicy(AciArmRetry retry, TimeProvider clock) : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("The ACI executor makes only asynchronous ARM calls.");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        var waited = TimeSpan.Zero;
        for (var tries = 1; ; tries++)
        {
            ExceptionDispatchInfo? dropped = null;
            try
            {
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 0 && !message.CancellationToken.IsCancellationRequested)
            {
                // No answer at all (a refused or dropped connection): ARM may well answer the next one.
                dropped = ExceptionDispatchInfo.Capture(e);
            }

            if (dropped is null && !AciArmRetry.IsTransient(message.Response.Status))
            {
                return;
            }

            var delay = retry.Delay(tries, dropped is null ? RetryAfter(message.Response) : null);
            if (tries >= retry.MaxTries || waited + delay > retry.MaxWait)
            {
                // Out of patience: the caller sees this last answer (or the dropped connection).
                dropped?.Throw();
                return;
            }

            waited += delay;
            await Task.Delay(delay, clock, message.CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><c>Retry-After</c> in seconds or as an HTTP date, or ARM's <c>x-ms-retry-after-ms</c>.</summary>
    private TimeSpan? RetryAfter(Response response)
    {
        if (response.Headers.TryGetValue("x-ms-retry-after-ms", out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (!response.Headers.TryGetValue("Retry-After", out var value))
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at - clock.GetUtcNow() : null;
    }
}
