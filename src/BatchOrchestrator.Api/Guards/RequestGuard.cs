using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BatchOrchestrator.Api.Guards;

/// <summary>
/// Keeps web pages out of the API, with or without a token: a page on another site must not reach
/// the server through the browser of someone who can (DNS rebinding, cross-site "simple" requests).
/// <list type="bullet">
/// <item>Only <c>Host</c> names this server serves are answered (421 otherwise): loopback names,
/// IP literals (a rebinding page's name is never an IP literal) and <see cref="ApiOptions.HostNames"/>.</item>
/// <item>A request that changes something (any method but GET, HEAD, OPTIONS) is refused (403)
/// when the browser says it comes from another site (<c>Origin</c>, <c>Sec-Fetch-Site</c>), and
/// when it could have been sent by a page without asking the server first: it must carry a
/// content type a form cannot send (<c>application/json</c>, <c>application/gzip</c>) or the
/// <see cref="RequestedByHeader"/> header, which a page cannot add without a CORS preflight this
/// server never grants.</item>
/// </list>
/// </summary>
public static class RequestGuard
{
    /// <summary>The header a client sends on a request with no body (kill, schedule enable); any value.</summary>
    public const string RequestedByHeader = "X-Requested-By";

    /// <summary>Runs the guard before anything else the pipeline does.</summary>
    public static IApplicationBuilder UseBatchOrchestratorRequestGuard(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ApplicationServices.GetRequiredService<ApiOptions>();
        var names = new HashSet<string>(options.HostNames, StringComparer.OrdinalIgnoreCase);
        return app.Use(async (context, next) =>
        {
            if (Check(context.Request, names) is { } refusal)
            {
                await refusal.ExecuteAsync(context);
                return;
            }

            await next(context);
        });
    }

    /// <summary>Why the request is refused, as the answer to send; null when it may go on.</summary>
    internal static IResult? Check(HttpRequest request, IReadOnlySet<string> hostNames)
    {
        if (!IsServedHost(request.Host, hostNames))
        {
            return Results.Problem(
                statusCode: StatusCodes.Status421MisdirectedRequest,
                title: "Misdirected request",
                detail: $"this server does not serve the host name '{request.Host.Host}': use 127.0.0.1 or localhost, or start it with --host-name {(string.IsNullOrEmpty(request.Host.Host) ? "NAME" : request.Host.Host)}");
        }

        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return null;
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site is "cross-site" or "same-site" || (request.Headers.Origin.Count > 0 && !IsSameOrigin(request.Headers.Origin.ToString(), request)))
        {
            return Forbidden($"a request from another site ({(request.Headers.Origin.Count > 0 ? request.Headers.Origin.ToString() : site)}) cannot change anything here");
        }

        return IsFormSendable(request) && request.Headers[RequestedByHeader].Count == 0
            ? Forbidden($"a request that changes something needs a JSON body (Content-Type: application/json) or a '{RequestedByHeader}' header, which a web page on another site cannot send")
            : null;
    }

    private static IResult Forbidden(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Cross-site request refused", detail: detail);

    private static bool IsServedHost(HostString host, IReadOnlySet<string> hostNames)
    {
        var name = host.Host;
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        // RFC 6761: localhost and its subdomains always resolve to loopback, never through DNS.
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || IPAddress.TryParse(name.Trim('[', ']'), out _)
            || hostNames.Contains(name);
    }

    private static bool IsSameOrigin(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            // "null" (a sandboxed frame, a file: page) is never this server's page.
            return false;
        }

        var requestPort = request.Host.Port ?? (request.IsHttps ? 443 : 80);
        return uri.Host.Equals(request.Host.Host, StringComparison.OrdinalIgnoreCase) && uri.Port == requestPort;
    }

    /// <summary>Whether a plain HTML form (or a no-cors fetch) could send this request: no body type, or one of the CORS-safelisted ones.</summary>
    private static bool IsFormSendable(HttpRequest request)
    {
        var type = request.ContentType;
        if (string.IsNullOrEmpty(type))
        {
            return true;
        }

        var mediaType = type.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase);
    }
}
