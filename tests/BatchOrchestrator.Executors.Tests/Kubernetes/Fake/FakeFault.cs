using System.Text.Json.Nodes;

namespace BatchOrchestrator.Executors.Tests.Kubernetes.Fake;

/// <summary>
/// An answer the fake API server gives instead of the real one, to the next <see cref="Times"/>
/// requests of <see cref="Method"/> whose path ends with <see cref="PathEnd"/>: a refusal (403
/// Forbidden by RBAC or a quota, 422 Invalid) or a transient failure (429 with Retry-After, 5xx).
/// </summary>
internal sealed record FakeFault(string Method, string PathEnd, int Code, int Times = 1)
{
    /// <summary>The <c>Retry-After</c> header, in seconds (429 from API priority and fairness sends 1).</summary>
    public int? RetryAfterSeconds { get; init; }

    public string? Message { get; init; }

    public static FakeFault Forbidden(string method, string pathEnd, string message) => new(method, pathEnd, 403) { Message = message };

    public static FakeFault Throttled(string method, string pathEnd, int retryAfterSeconds, int times = 1) => new(method, pathEnd, 429, times) { RetryAfterSeconds = retryAfterSeconds };

    public JsonObject Status() => Code switch
    {
        403 => FakeStatus.Failure(403, "Forbidden", Message ?? "forbidden"),
        422 => FakeStatus.Failure(422, "Invalid", Message ?? "invalid"),
        429 => FakeStatus.Failure(429, "TooManyRequests", Message ?? "Too many requests, please try again later.", new JsonObject { ["retryAfterSeconds"] = RetryAfterSeconds ?? 1 }),
        503 => FakeStatus.Failure(503, "ServiceUnavailable", Message ?? "the server is currently unable to handle the request"),
        _ => FakeStatus.Failure(Code, "InternalError", Message ?? "Internal error occurred: etcdserver: request timed out"),
    };
}
