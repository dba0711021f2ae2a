using BatchOrchestrator.Server.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace BatchOrchestrator.Server;

/// <summary>The scheduler's part of the server: its services, the /api/schedules routes' state, and the minute loop.</summary>
public sealed partial class ServerHost
{
    static partial void ConfigureScheduling(IServiceCollection services, ServerOptions options) =>
        services.AddScheduler(options.StateDirectory);
}
