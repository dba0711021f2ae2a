using BatchOrchestrator.Cli.Output;
using BatchOrchestrator.Cli.Remote;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Scheduling;
using BatchOrchestrator.Server.Scheduling;
using BatchOrchestrator.Storage.Sqlite;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>
/// <c>bo schedules</c>: the project's scheduled workflows with their next session and run
/// times, whether they are enabled and the last session the scheduler started (from the state
/// folder's schedule store, which a server's scheduler keeps).
/// </summary>
public sealed class SchedulesCommand(CliContext context)
{
    public Task<int> RunAsync(StateOptions options, CancellationToken cancellationToken) =>
        UserErrors.ReportAsync(context.Error, () => RunCoreAsync(options, cancellationToken));

    private async Task<int> RunCoreAsync(StateOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (schedules, where) = options.Endpoint is { } endpoint
            ? await ReadRemoteAsync(endpoint, options.Token, cancellationToken)
            : await ReadLocalAsync(options, cancellationToken);
        if (schedules.Count == 0)
        {
            await context.Output.WriteLineAsync($"no scheduled workflows in {where} (a workflow gets one with a valid `schedule:`; see `bo check`)");
            return 0;
        }

        var table = new TextTable("workflow", "state", "next session", "next run", "last session", "schedule");
        foreach (var schedule in schedules)
        {
            table.Add(
                schedule.Workflow,
                schedule.Enabled ? "enabled" : "disabled",
                Times.Format(schedule.NextSessionTime),
                Times.Format(schedule.NextRunTime),
                Times.Format(schedule.LastSessionTime),
                schedule.Schedule);
        }

        table.Write(context.Output);
        return 0;
    }

    private async Task<(IReadOnlyList<ScheduleView> Schedules, string Where)> ReadLocalAsync(StateOptions options, CancellationToken cancellationToken)
    {
        var location = options.Resolve();
        var catalog = new ProjectFolderCatalog(location.ProjectDirectory);
        await using var store = await SqliteScheduleStore.OpenAsync(Path.Combine(location.StateDirectory, SchedulerServiceCollectionExtensions.DatabaseFile), cancellationToken);
        var control = new ScheduleControl(new ScheduledWorkflows(catalog, context.CreateOperators()), new ScheduleStates(store));
        return (await control.ListAsync(catalog.Name, null, context.Now, cancellationToken), location.ProjectDirectory);
    }

    /// <summary>Every schedule a server's scheduler keeps (all its projects; the project column says whose).</summary>
    private static async Task<(IReadOnlyList<ScheduleView> Schedules, string Where)> ReadRemoteAsync(string endpoint, string? token, CancellationToken cancellationToken)
    {
        using var server = new ServerClient(endpoint, token);
        var schedules = await server.GetAsync<List<ScheduleView>>("api/schedules", cancellationToken) ?? [];
        return (schedules, server.Endpoint.ToString());
    }
}
