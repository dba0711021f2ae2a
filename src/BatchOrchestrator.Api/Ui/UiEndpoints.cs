using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BatchOrchestrator.Api.Ui;

/// <summary>
/// The web UI: plain HTML, CSS and JavaScript modules embedded in this assembly (no build step,
/// nothing to install), served at <c>/</c>. Its files are under <c>/assets/</c>; every other
/// path that is not an API route gets the entry page, so client-side routes
/// (<c>/attempts/{id}</c>) survive a reload or a shared link. Unknown <c>/api/*</c> routes stay
/// JSON 404s and are never answered with the page.
/// </summary>
internal static class UiEndpoints
{
    private static readonly string[] ReadMethods = [HttpMethods.Get, HttpMethods.Head];

    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var assets = UiAssets.Load(typeof(UiEndpoints).Assembly);

        app.MapMethods("/", ReadMethods, (HttpContext context) => Serve(context, assets.Index))
            .ExcludeFromDescription();
        app.MapMethods("/assets/{**path}", ReadMethods, (HttpContext context, string path) =>
                assets.Find(path) is { } asset ? Serve(context, asset) : NotFound(context))
            .ExcludeFromDescription();
        // "{**path}" rather than the default "{*path:nonfile}", so a missing file gets the same JSON 404 as anything else.
        // A RequestDelegate, not a route handler: the request delegate generator rewrites
        // MapFallback(pattern, handler) into MapFallback(handler) and loses the pattern
        // (dotnet/aspnetcore#65992), so /openapi/v1.json matched nothing and got an empty 404.
        app.MapFallback("{**path}", context => Fallback(context, assets.Index).ExecuteAsync(context))
            .ExcludeFromDescription();
    }

    private static IResult Fallback(HttpContext context, UiAsset index)
    {
        var path = context.Request.Path;
        var isApi = path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase);

        // A path with a file extension is a missing file, not a page of the UI.
        var looksLikeFile = Path.HasExtension(path.Value);
        return isApi || looksLikeFile || !ReadMethods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase)
            ? NotFound(context)
            : Serve(context, index);
    }

    private static IResult Serve(HttpContext context, UiAsset asset)
    {
        var headers = context.Response.Headers;

        // Revalidate every time: the ETag makes that a 304 without a body, and a new build is picked up at once.
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
        return Results.Bytes(asset.Content, asset.ContentType, entityTag: asset.ETag);
    }

    private static IResult NotFound(HttpContext context) => Results.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Not found",
        detail: $"Nothing is served at {context.Request.Method} {context.Request.Path}.");
}
