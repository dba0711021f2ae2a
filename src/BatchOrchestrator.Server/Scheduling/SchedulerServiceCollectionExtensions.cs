using BatchOrchestrator.Engine.Scheduling;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace BatchOrchestrator.Server.Scheduling;

/// <summary>Registers the scheduler: its services (used by the API's schedule routes too) and the minute loop.</summary>
public static class SchedulerServiceCollectionExtensions
{
    /// <summary>File name of the schedule store in a state folder.</summary>
    public const string DatabaseFile = "schedules.db";

    /// <summary>
    /// Adds the scheduler over the host's <see cref="Engine.Projects.IProjectCatalog"/> and
    /// <see cref="Engine.Sessions.AttemptLauncher"/> (which the host registers). Its state is
    /// <c>schedules.db</c> in <paramref name="stateDirectory"/> unless an
    /// <see cref="IScheduleStore"/> is registered already; the clock is <see cref="TimeProvider.System"/>
    /// unless one is. With <paramref name="runLoop"/> false only the services are added (a host
    /// whose timer trigger calls <see cref="Scheduler.TickAsync"/> itself).
    /// </summary>
    public static IServiceCollection AddScheduler(this IServiceCollection services, string stateDirectory, bool runLoop = true)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IScheduleStore>(_ =>
            SqliteScheduleStore.OpenAsync(Path.Combine(stateDirectory, DatabaseFile), CancellationToken.None).GetAwaiter().GetResult());
        services.TryAddSingleton<ScheduledWorkflows>();
        services.TryAddSingleton<ScheduleStates>();
        services.TryAddSingleton<ScheduledSessionStarter>();
        services.TryAddSingleton<Backfills>();
        services.TryAddSingleton<ScheduleControl>();
        services.TryAddSingleton<Scheduler>();
        if (runLoop)
        {
            services.TryAddSingleton<SchedulerService>();
            services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<SchedulerService>());
        }

        return services;
    }
}
