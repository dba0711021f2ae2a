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
            var expected = ApiAccess.Hash(token);
            api.AddEndpointFilter(async (context, next) =>
                ApiAccess.HasToken(context.HttpContext.Request, expected) ? await next(context) : ApiProblems.Unauthorized());
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
}
