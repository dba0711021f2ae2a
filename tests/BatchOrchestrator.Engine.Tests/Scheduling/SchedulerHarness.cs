using BatchOrchestrator.Engine.Scheduling;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;
using BatchOrchestrator.Storage.Sqlite;

namespace BatchOrchestrator.Engine.Tests.Scheduling;

/// <summary>
/// A project on the real local engine with the scheduler over it: the schedule store is SQLite in
/// the state folder, the clock is whatever instant a test passes to a tick. <see cref="SecondAsync"/>
/// makes another scheduler on the same database (a second server, or a restarted one).
/// </summary>
internal sealed class SchedulerHarness : IAsyncDisposable
{
    private readonly List<SqliteScheduleStore> _stores = [];

    private SchedulerHarness(WorkflowProject project)
    {
        Project = project;
    }

    public WorkflowProject Project { get; }

    public SchedulerParts Parts { get; private set; } = null!;

    public Scheduler Scheduler => Parts.Scheduler;

    public IRunStore Runs => Project.Engine!.Runs;

    public string ProjectName => "project";

    public static async Task<SchedulerHarness> StartAsync()
    {
        var harness = new SchedulerHarness(await WorkflowProject.StartAsync());
        harness.Parts = await harness.SecondAsync();
        return harness;
    }

    /// <summary>Another scheduler, with its own connection to the same schedule database.</summary>
    public async Task<SchedulerParts> SecondAsync()
    {
        var store = await SqliteScheduleStore.OpenAsync(Path.Combine(Project.StateDirectory, "schedules.db"), CancellationToken.None);
        _stores.Add(store);
        var workflows = new ScheduledWorkflows(new BatchOrchestrator.Engine.Projects.ProjectFolderCatalog(Project.Directory_), Project.Engine!.Operators);
        var starter = new ScheduledSessionStarter(Project.Engine!.Attempts);
        var states = new ScheduleStates(store);
        var backfills = new Backfills(workflows, store, starter);
        return new SchedulerParts(store, new Scheduler(workflows, states, backfills, starter), new ScheduleControl(workflows, states), backfills);
    }

    public Task<TickReport> TickAsync(DateTimeOffset now) => Scheduler.TickAsync(now, CancellationToken.None);

    /// <summary>Every attempt of the workflow, oldest session first.</summary>
    public async Task<IReadOnlyList<AttemptRecord>> AttemptsAsync(string workflow)
    {
        var sessions = await Runs.ListSessionsAsync(new SessionQuery { Project = ProjectName, Workflow = workflow, PageSize = 1000 }, CancellationToken.None);
        var attempts = new List<AttemptRecord>();
        foreach (var session in sessions.Items.OrderBy(s => s.SessionTime))
        {
            attempts.AddRange(await Runs.GetAttemptsAsync(session.SessionId, CancellationToken.None));
        }

        return attempts;
    }

    /// <summary>Waits for an attempt to end; it must succeed.</summary>
    public async Task WaitSucceededAsync(string attemptId)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var run = await Project.WaitAsync(attemptId, guard.Token);
        Assert.IsTrue(run.Succeeded, run.Describe());
    }

    public static DateTimeOffset Utc(int day, int hour, int minute = 0, int second = 0) => new(2026, 11, day, hour, minute, second, TimeSpan.Zero);

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await Project.DisposeAsync();
    }
}

/// <summary>One scheduler's objects.</summary>
internal sealed record SchedulerParts(SqliteScheduleStore Store, Scheduler Scheduler, ScheduleControl Control, Backfills Backfills);
