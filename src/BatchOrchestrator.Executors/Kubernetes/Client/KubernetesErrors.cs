using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace BatchOrchestrator.Executors.Kubernetes.Client;

/// <summary>
/// Reads the library's error answers (<see cref="HttpOperationException"/>): the code, the Status
/// reason (<c>AlreadyExists</c>, <c>Forbidden</c>, <c>Invalid</c>, ...) and its message, which usually
/// says exactly what is wrong (an RBAC verb, an invalid field).
/// </summary>
public static class KubernetesErrors
{
    public static HttpStatusCode Code(this HttpOperationException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Response?.StatusCode ?? 0;
    }

    /// <summary>The Status body's machine reason, or null when the body is not a Status (a proxy's page).</summary>
    public static string? Reason(this HttpOperationException error) => Status(error)?.Reason;

    public static bool IsAlreadyExists(this HttpOperationException error) => error.Code() == HttpStatusCode.Conflict && error.Reason() == "AlreadyExists";

    public static bool IsNotFound(this HttpOperationException error) => error.Code() == HttpStatusCode.NotFound;

    /// <summary>
    /// Worth trying again later: the server or the network, not the request (429, 5xx) — what is
    /// left after <see cref="TransientRetryHandler"/> gave up. A 4xx such as 403 Forbidden or 422
    /// Invalid will fail the same way every time.
    /// </summary>
    public static bool IsTransient(this HttpOperationException error) =>
        error.Code() is HttpStatusCode.TooManyRequests || ((int)error.Code() >= 500 && error.Code() != HttpStatusCode.NotImplemented);

    /// <summary>"Kubernetes API POST /apis/... answered 422 Invalid: the message".</summary>
    public static string Describe(this HttpOperationException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var method = error.Request?.Method.Method ?? "";
        var path = error.Request?.RequestUri?.AbsolutePath ?? "";
        var code = (int)error.Code();
        if (Status(error) is { } status)
        {
            return $"Kubernetes API {method} {path} answered {code} {status.Reason}: {status.Message}";
        }

        var text = error.Response?.Content ?? "";
        var snippet = text.Length > 300 ? text[..300] + "..." : text;
        return $"Kubernetes API {method} {path} answered {code} {error.Response?.ReasonPhrase}: {snippet}";
    }

    private static V1Status? Status(HttpOperationException error)
    {
        if (error.Response?.Content is not { Length: > 0 } content)
        {
            return null;
        }

        try
        {
            var status = KubernetesJson.Deserialize<V1Status>(content);
            return status?.Kind == "Status" ? status : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
