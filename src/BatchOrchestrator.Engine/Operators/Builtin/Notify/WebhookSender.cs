using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Operators.Builtin.Http;

namespace BatchOrchestrator.Engine.Operators.Builtin.Notify;

/// <summary>
/// Posts a notification's JSON to one webhook, retrying what may pass (5xx, 408, 429, a refused
/// connection, no answer in time) with <see cref="HttpRetryPolicy"/>'s backoff; a 4xx other than
/// those means the request is wrong (a revoked webhook, a bad payload) and is not repeated.
/// </summary>
public sealed class WebhookSender(HttpClient client, HttpRetryPolicy policy, TimeSpan timeout)
{
    /// <summary>
    /// The header a generic webhook gets so it can drop a delivery it has seen: the same for every
    /// repetition of one try (an activity runs at least once).
    /// </summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>Sends; returns a line per request for the task's log, or throws a <see cref="TaskFailure"/> naming the target (never its URL, which is often a secret).</summary>
    public async Task SendAsync(NotificationTarget target, JsonObject payload, string idempotencyKey, Func<string, Task> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(log);
        var body = payload.ToJsonString();
        var maxRequests = Math.Max(1, policy.MaxRequests);
        for (var number = 1; ; number++)
        {
            var (ok, transient, summary, retryAfter) = await PostAsync(target, body, idempotencyKey, cancellationToken);
            var retry = !ok && transient && number < maxRequests;
            var delay = retry ? policy.DelayBefore(number + 1, retryAfter) : TimeSpan.Zero;
            await log($"{target.OptionName}: {summary}{(retry ? $"; retrying in {delay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s" : string.Empty)}");
            if (ok)
            {
                return;
            }

            if (!retry)
            {
                var after = number > 1 ? $" after {number} requests" : string.Empty;
                throw new TaskFailure($"notify>: the {target.OptionName} webhook failed{after}: {summary}", retryable: transient);
            }

            await Task.Delay(delay, cancellationToken);
        }
    }

    private async Task<(bool Ok, bool Transient, string Summary, TimeSpan? RetryAfter)> PostAsync(NotificationTarget target, string body, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, target.Url)
            {
                Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
            };
            if (target.Channel == NotificationChannel.Webhook)
            {
                request.Headers.TryAddWithoutValidation(IdempotencyHeader, idempotencyKey);
            }

            foreach (var (name, value) in target.Headers)
            {
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    request.Content.Headers.Remove(name);
                    request.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            var text = await response.Content.ReadAsStringAsync(limit.Token);
            var status = (int)response.StatusCode;
            var excerpt = text.Length <= 200 ? text : text[..200] + "…";
            var summary = $"{status} {response.ReasonPhrase}{(excerpt.Length > 0 && !response.IsSuccessStatusCode ? ": " + excerpt : string.Empty)}";
            var retryAfter = response.Headers.RetryAfter?.Delta;
            return (response.IsSuccessStatusCode, HttpRetryPolicy.IsTransient(response.StatusCode), summary, retryAfter);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, true, $"no response within {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s", null);
        }
        catch (HttpRequestException error)
        {
            return (false, error.HttpRequestError != HttpRequestError.SecureConnectionError, $"request failed: {error.HttpRequestError}", null);
        }
    }
}
