using BatchOrchestrator.Language.Operators;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Operators.Builtin.Http;

/// <summary>
/// <c>http&gt;: URL</c> — Digdag's HTTP operator: sends one request (<c>method</c>, <c>content</c>
/// as <c>content_format</c> text/json/form, <c>content_type</c>, <c>headers</c>, [ours] <c>query</c>)
/// and fails the task unless the final status is 2xx, with the status and the start of the body.
/// <c>store_content: true</c> stores the body as <c>http.last_content</c> for later tasks.
/// Ephemeral errors are retried within the try when <c>retry</c> is on (see <see cref="HttpRetryPolicy"/>).
/// </summary>
/// <remarks>
/// Runs at least once per try: after a crash the activity runs again and the request is sent again,
/// as with Digdag's own retries — use it for requests the server can take twice.
/// Secrets (<see cref="HttpSecrets"/>) and credential headers are masked in the log and in errors.
/// The <see cref="HttpClient"/> is shared and owned by the host; its own timeout should be
/// infinite, as each request is bounded by the task's <c>timeout</c> option.
/// </remarks>
public sealed class HttpOperator(HttpClient client, ILogStore logs, HttpRetryPolicy? retryPolicy = null) : IOperator, ISecretConsumer
{
    public static OperatorDescription Description { get; } = new("http", "calls an HTTP endpoint")
    {
        CommandType = OptionType.String, Example = "http>: https://example.com/api",
        Options =
        [
            new("method", OptionType.String), new("content", OptionType.Any), new("content_format", OptionType.String, Values: ["text", "json", "form"]),
            new("content_type", OptionType.String), new("store_content", OptionType.Boolean), new("headers", OptionType.Pairs),
            new("query", OptionType.Pairs), new("retry", OptionType.Boolean),
        ],
    };

    /// <summary>How much of a failed response's body goes into the task's error.</summary>
    public const int BodyExcerptLength = 1024;

    private readonly HttpRetryPolicy _policy = retryPolicy ?? HttpRetryPolicy.Default;

    public string Name => "http";

    /// <summary>Digdag's http&gt; secrets, read from the secret store when set (see <see cref="HttpSecrets"/>).</summary>
    public IReadOnlyList<string> SecretKeys { get; } = ["http.authorization", "http.user", "http.password", "http.uri"];

    public async Task<TaskResult> RunAsync(TaskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secrets = HttpSecrets.From(request.Params);
        var masker = secrets.Masker();
        var key = new TryKey(request.AttemptId, request.TaskName, request.Try);
        var killed = _tries.GetOrAdd(key, _ => new CancellationTokenSource());
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, killed.Token);
        try
        {
            var options = HttpRequestOptions.Parse(request, secrets);
            masker = masker.AndEncodedForms(CredentialsIn(options));
            return await SendAsync(request, options, secrets.AuthorizationHeader, masker, linked.Token);
        }
        catch (OperationCanceledException) when (killed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TaskFailure("http>: the request was abandoned: the attempt was killed", retryable: false);
        }
        catch (TaskFailure failure)
        {
            throw new TaskFailure(masker.Mask(failure.Message), failure.Retryable);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Anything unexpected may quote the URL or a header: it leaves masked, without the inner exception.
            throw new TaskFailure(masker.Mask($"http>: {error.GetType().Name}: {error.Message}"));
        }
        finally
        {
            // A killed try stays known as killed, so a delivery of it that starts later stops at once.
            if (!killed.IsCancellationRequested && _tries.TryRemove(KeyValuePair.Create(key, killed)))
            {
                killed.Dispose();
            }
        }
    }

    /// <summary>
    /// Abandons the try's request (and its retry waits) when this host sends it: the activity's own
    /// token is not cancelled when its orchestration is terminated, and a request may wait for
    /// minutes (the timeout option). A request another host sends ends on its own timeout. When the
    /// try has not started here yet, it is remembered as killed, so it does not start.
    /// </summary>
    public async Task CleanupAsync(TaskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _tries.GetOrAdd(new TryKey(request.AttemptId, request.TaskName, request.Try), _ => new CancellationTokenSource()).CancelAsync();
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<TryKey, CancellationTokenSource> _tries = new();

    private readonly record struct TryKey(string AttemptId, string TaskName, int Try);

    private async Task<TaskResult> SendAsync(TaskRequest request, HttpRequestOptions options, string? authorization, SecretMasker masker, CancellationToken cancellationToken)
    {
        var target = options.UriIsSecret ? "(the http.uri secret)" : masker.Mask(options.Uri.AbsoluteUri);
        var maxRequests = options.Retry ? Math.Max(1, _policy.MaxRequests) : 1;
        for (var number = 1; ; number++)
        {
            await LogAsync(request, $"> {options.Method} {target}{Describe(options)} (request {number} of at most {maxRequests})", cancellationToken);
            var exchange = await ExchangeAsync(options, authorization, cancellationToken);
            var retry = !exchange.Succeeded && exchange.Transient && number < maxRequests;
            var delay = retry ? _policy.DelayBefore(number + 1, exchange.RetryAfter) : TimeSpan.Zero;

            // Masked before anything is cut to an excerpt, so a cut never leaves half a secret.
            var shown = exchange with { Body = masker.Mask(exchange.Body), Reason = exchange.Reason is { } reason ? masker.Mask(reason) : null, Problem = exchange.Problem is { } problem ? masker.Mask(problem) : null };
            await LogAsync(request, ResponseLine(shown, retry, delay), cancellationToken);
            if (exchange.Succeeded)
            {
                return options.StoreContent
                    ? new TaskResult { StoreParams = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["http"] = new Dictionary<string, string> { ["last_content"] = exchange.Body } }, BatchOrchestrator.Engine.Json.ValuesJsonContext.Default.DictionaryStringObject) }
                    : TaskResult.Empty;
            }

            if (!retry)
            {
                throw new TaskFailure(FailureMessage(options, target, shown, number));
            }

            await Task.Delay(delay, cancellationToken);
        }
    }

    private async Task<HttpExchange> ExchangeAsync(HttpRequestOptions options, string? authorization, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.Timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var message = HttpMessageFactory.Create(options, authorization);
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            var body = await response.Content.ReadAsStringAsync(limit.Token);
            return new HttpExchange
            {
                Status = response.StatusCode,
                Reason = response.ReasonPhrase,
                Body = body,
                RetryAfter = RetryAfter(response),
                Transient = HttpRetryPolicy.IsTransient(response.StatusCode),
                Elapsed = Stopwatch.GetElapsedTime(started),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Our limit (or the client's own timeout) fired, not the caller: the server was too slow.
            return new HttpExchange { Problem = $"no response within {Seconds(options.Timeout)} (the timeout option)", Transient = true, Elapsed = Stopwatch.GetElapsedTime(started) };
        }
        catch (HttpRequestException error)
        {
            // A refused or dropped connection may not happen again; a TLS failure will.
            var transient = error.HttpRequestError != HttpRequestError.SecureConnectionError;
            return new HttpExchange { Problem = $"request failed: {error.Message}", Transient = transient, Elapsed = Stopwatch.GetElapsedTime(started) };
        }
    }

    private Task LogAsync(TaskRequest request, string line, CancellationToken cancellationToken) =>
        logs.AppendAsync(request.Log, line + "\n", cancellationToken);

    private static string Describe(HttpRequestOptions options) =>
        options.Content is null ? string.Empty : $" ({options.ContentType?.MediaType ?? options.ContentFormat.ToString().ToLowerInvariant()} content)";

    private static string ResponseLine(HttpExchange exchange, bool retry, TimeSpan delay)
    {
        var line = new StringBuilder($"< {exchange.Summary} after {exchange.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms");
        if (exchange.Status is not null)
        {
            line.Append(CultureInfo.InvariantCulture, $", {Encoding.UTF8.GetByteCount(exchange.Body)} bytes");
        }

        if (retry)
        {
            line.Append(CultureInfo.InvariantCulture, $"; retrying in {Seconds(delay)}");
        }

        if (!exchange.Succeeded && exchange.Body.Length > 0)
        {
            line.Append('\n').Append(Excerpt(exchange.Body));
        }

        return line.ToString();
    }

    private static string FailureMessage(HttpRequestOptions options, string target, HttpExchange exchange, int requests)
    {
        var tries = requests > 1 ? $" (after {requests} requests)" : string.Empty;
        var message = exchange.Status is null
            ? $"http> {options.Method} {target}: {exchange.Summary}{tries}"
            : $"http> {options.Method} {target} failed with status {exchange.Summary}{tries}";
        return exchange.Body.Length > 0 ? $"{message}: {Excerpt(exchange.Body)}" : message;
    }

    /// <summary>The start of a (masked) body.</summary>
    private static string Excerpt(string body) =>
        body.Length <= BodyExcerptLength ? body : $"{body[..BodyExcerptLength]}… ({body.Length - BodyExcerptLength} more characters)";

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };

    /// <summary>Credentials written in the workflow rather than as secrets, masked all the same.</summary>
    private static IEnumerable<string?> CredentialsIn(HttpRequestOptions options)
    {
        foreach (var (name, value) in options.Headers)
        {
            if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase))
            {
                yield return value;
            }
        }

        // http://user:password@host: the password part.
        if (options.Uri.UserInfo.Split(':', 2) is [_, var password])
        {
            yield return Uri.UnescapeDataString(password);
            yield return password;
        }
    }

    private static string Seconds(TimeSpan span) =>
        span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
