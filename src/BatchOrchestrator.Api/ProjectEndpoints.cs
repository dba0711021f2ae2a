using Microsoft.AspNetCore.Routing;

namespace BatchOrchestrator.Api;

/// <summary>The project routes of the API (docs/api.md).</summary>
internal static class ProjectEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
    }
}
