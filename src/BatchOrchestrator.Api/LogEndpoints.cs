using Microsoft.AspNetCore.Routing;

namespace BatchOrchestrator.Api;

/// <summary>The log routes of the API (docs/api.md).</summary>
internal static class LogEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
    }
}
