using Microsoft.AspNetCore.Routing;

namespace BatchOrchestrator.Api;

/// <summary>The secret routes of the API (docs/api.md).</summary>
internal static class SecretEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
    }
}
