using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Scheduling;
using BatchOrchestrator.Engine.Sessions;
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
    /// Adds the scheduler (<see cref="SchedulerParts"/>, as the Functions app does) over the host's
    /// <see cref="IProjectCatalog"/> and <see cref="AttemptLauncher"/> (which the host registers). Its state is
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
        services.TryAddSingleton(provider => SchedulerParts.Create(
            provider.GetRequiredService<IProjectCatalog>(),
            provider.GetRequiredService<Language.Operators.IOperatorCatalog>(),
            provider.GetRequiredService<IScheduleStore>(),
            provider.GetRequiredService<AttemptLauncher>()));
        foreach (var type in SchedulerParts.Types)
        {
            services.TryAddSingleton(type, provider => provider.GetRequiredService<SchedulerParts>().Get(type));
        }

        if (runLoop)
        {
            services.TryAddSingleton<SchedulerService>();
            services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<SchedulerService>());
        }

        return services;
    }
}
