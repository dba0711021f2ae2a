using Microsoft.AspNetCore.Routing;

namespace BatchOrchestrator.Api.Schedules;

/// <summary>The schedule routes of the API (docs/api.md).</summary>
internal static class ScheduleEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
    }
}
