using Microsoft.AspNetCore.Routing;

namespace BatchOrchestrator.Api;

/// <summary>The attempt routes of the API (docs/api.md).</summary>
internal static class AttemptEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
    }
}
