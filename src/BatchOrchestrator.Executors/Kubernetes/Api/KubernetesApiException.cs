using System.Net;

namespace BatchOrchestrator.Executors.Kubernetes.Api;

/// <summary>
/// The API server answered with an error <c>Status</c> (or a bare error code): its code, its
/// machine reason (<c>AlreadyExists</c>, <c>NotFound</c>, <c>Expired</c>, <c>Forbidden</c>, ...) and
/// its message, which usually says exactly what is wrong (an RBAC verb, an invalid field).
/// </summary>
public sealed class KubernetesApiException : Exception
{
    public KubernetesApiException()
    {
    }

    public KubernetesApiException(string message)
        : base(message)
    {
    }

    public KubernetesApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubernetesApiException(HttpStatusCode code, string? reason, string message)
        : base(message)
    {
        Code = code;
        Reason = reason;
    }

    public HttpStatusCode Code { get; }

    public string? Reason { get; }

    /// <summary>
    /// Worth trying again later: the server or the network, not the request (429, 5xx). A 4xx such
    /// as 403 Forbidden or 422 Invalid will fail the same way every time.
    /// </summary>
    public bool IsTransient => Code is HttpStatusCode.TooManyRequests || (int)Code >= 500;
}
