using BatchOrchestrator.Api.Guards;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BatchOrchestrator.Api;

/// <summary>
/// The API's routes as one request delegate, for a host that has already routed the request to
/// itself (the Functions app's catch-all HTTP function) and hands over the whole
/// <see cref="HttpContext"/>. Built once from the host's services.
/// </summary>
public sealed class RoutedPipeline
{
    private readonly RequestDelegate _handler;

    /// <param name="services">The host's services (what the endpoints resolve).</param>
    /// <param name="map">The routes; <see cref="ApiEndpoints.MapBatchOrchestratorApi"/> for the API.</param>
    public RoutedPipeline(IServiceProvider services, Action<IEndpointRouteBuilder> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var app = new ApplicationBuilder(services);
        app.UseBatchOrchestratorRequestGuard();
        app.UseRouting();
        app.UseEndpoints(map);
        _handler = app.Build();
    }

    /// <summary>The API for the host's services.</summary>
    public static RoutedPipeline ForApi(IServiceProvider services) => new(services, endpoints => endpoints.MapBatchOrchestratorApi());

    /// <summary>The web UI alone (<see cref="ApiEndpoints.MapBatchOrchestratorUi"/>), for a host that serves it without credentials.</summary>
    public static RoutedPipeline ForUi(IServiceProvider services) => new(services, endpoints => endpoints.MapBatchOrchestratorUi());

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // The host's routing matched this request to its own endpoint, and routing skips requests
        // that have one: it is cleared so that the API's routes are matched.
        context.SetEndpoint(null);
        context.Request.RouteValues.Clear();
        return _handler(context);
    }
}
