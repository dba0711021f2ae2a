using System.Net;

namespace BatchOrchestrator.Executors.Tests.Aci;

/// <summary>
/// An answer <see cref="FakeArm"/> gives instead of doing the call, once: a throttling 429 with
/// <c>Retry-After</c>, a 5xx, a refusal with ARM's error JSON, or no answer at all (the connection drops).
/// </summary>
internal sealed record FakeArmFault(HttpStatusCode Status, string Code, string Message, TimeSpan? RetryAfter = null)
{
    /// <summary>The connection drops before any answer.</summary>
    public bool Drops { get; init; }

    /// <summary>One more header on the answer (another way of saying when to come back).</summary>
    public (string Name, string Value)? Header { get; init; }

    public static FakeArmFault Throttled(TimeSpan retryAfter) =>
        new(HttpStatusCode.TooManyRequests, "TooManyRequests", "The request is being throttled as the limit has been reached for operation type - Write_ObservationWindow_00:01:00.", retryAfter);

    public static FakeArmFault Unavailable() =>
        new(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "The service is temporarily unavailable. Please try again later.");

    public static FakeArmFault Internal() =>
        new(HttpStatusCode.InternalServerError, "InternalServerError", "Encountered internal server error. Diagnostic information: timestamp '20261121T000000Z'.");

    public static FakeArmFault Dropped() => new(0, string.Empty, "the connection was reset") { Drops = true };

    public static FakeArmFault Forbidden() =>
        new(HttpStatusCode.Forbidden, "AuthorizationFailed", $"The client 'batch' with object id '00000000-0000-0000-0000-00000000000b' does not have authorization to perform action 'Microsoft.ContainerInstance/containerGroups/write' over scope '/subscriptions/{FakeArm.Subscription}/resourceGroups/{FakeArm.ResourceGroup}' or the scope is invalid.");

    public static FakeArmFault QuotaReached() =>
        new(HttpStatusCode.Conflict, "ContainerGroupQuotaReached", "Resource type 'Microsoft.ContainerInstance/containerGroups' container group quota 'StandardCores' exceeded in region 'japaneast'. Limit: '10', Usage: '10' Requested: '1'.");
}
