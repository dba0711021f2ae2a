using Microsoft.AspNetCore.Routing;

namespace BatchOrchestrator.Api.Ui;

/// <summary>The web UI: static files served from this assembly at <c>/</c>.</summary>
internal static class UiEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
    }
}
