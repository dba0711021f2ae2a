using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace BatchOrchestrator.Api;

/// <summary>
/// The one HTTP API, mapped by every host (the local server, the Functions app): Digdag's
/// resource model under <c>/api</c> (docs/api.md), the OpenAPI document and the web UI. Each
/// resource's routes live in their own file; services come from the host's container.
/// </summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapBatchOrchestratorApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api");
        ProjectEndpoints.Map(api);
        SessionEndpoints.Map(api);
        AttemptEndpoints.Map(api);
        LogEndpoints.Map(api);
        SecretEndpoints.Map(api);
        Schedules.ScheduleEndpoints.Map(api);
        Ui.UiEndpoints.Map(app);
        return app;
    }
}
