using System.Net;

namespace BatchOrchestrator.Engine.Operators.Builtin.Http;

/// <summary>
/// What one request of a try came to: a response (any status), or no response (<see cref="Problem"/>:
/// a timeout or a connection error). Texts are unmasked; the operator masks what it writes.
/// </summary>
internal sealed record HttpExchange
{
    public HttpStatusCode? Status { get; init; }

    public string? Reason { get; init; }

    public string Body { get; init; } = string.Empty;

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Why there is no response, or null when there is one.</summary>
    public string? Problem { get; init; }

    public TimeSpan Elapsed { get; init; }

    /// <summary>True for a problem another request may not have (a timeout, a refused connection) or a transient status.</summary>
    public bool Transient { get; init; }

    public bool Succeeded => Status is { } status && (int)status is >= 200 and < 300;

    /// <summary>The status line, e.g. <c>503 Service Unavailable</c>, or the problem.</summary>
    public string Summary =>
        Status is { } status ? $"{(int)status} {Reason ?? status.ToString()}" : Problem ?? "no response";
}
