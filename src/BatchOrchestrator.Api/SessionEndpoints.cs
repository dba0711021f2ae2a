using Microsoft.AspNetCore.Routing;

namespace BatchOrchestrator.Api;

/// <summary>The session routes of the API (docs/api.md).</summary>
internal static class SessionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
    }
}
