using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BatchOrchestrator.Api;

/// <summary>
/// The one HTTP API, mapped by every host (the local server, the Functions app): Digdag's
/// resource model under <c>/api</c> (docs/api.md), the OpenAPI document and the web UI. Each
/// resource's routes live in their own file; services come from the host's container
/// (<see cref="ApiServices.AddBatchOrchestratorApi"/>).
/// </summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapBatchOrchestratorApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ServiceProvider.GetRequiredService<ApiOptions>();
        var api = app.MapGroup("/api");
        if (options.Token is { } token)
        {
            var expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));
            api.AddEndpointFilter(async (context, next) =>
                HasToken(context.HttpContext.Request, expected) ? await next(context) : ApiProblems.Unauthorized());
        }

        ProjectEndpoints.Map(api);
        SessionEndpoints.Map(api);
        AttemptEndpoints.Map(api);
        LogEndpoints.Map(api);
        SecretEndpoints.Map(api);
        Schedules.ScheduleEndpoints.Map(api);
        app.MapOpenApi("/openapi/{documentName}.json");
        return app.MapBatchOrchestratorUi();
    }

    /// <summary>
    /// The web UI alone: its page and assets, no route that reads or changes data (an <c>/api</c>
    /// path gets the JSON 404). What a host may serve without credentials while the API stays
    /// behind them: the Functions app's function keys cannot ride on a browser's requests for a
    /// page's scripts, so there the page is anonymous and asks for the key its API calls send.
    /// </summary>
    public static IEndpointRouteBuilder MapBatchOrchestratorUi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        Ui.UiEndpoints.Map(app);
        return app;
    }

    /// <summary>Whether the request carries the token, compared in constant time (on hashes, so lengths leak nothing either).</summary>
    private static bool HasToken(HttpRequest request, byte[] expected)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
