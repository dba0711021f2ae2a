using System.Globalization;
using System.Text.RegularExpressions;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Scheduling;

/// <summary>What a backfill should run: a scheduled workflow's sessions from a time on.</summary>
/// <param name="From">The first session time: a date or date and time in the workflow's time zone, or ISO-8601 with an offset.</param>
/// <param name="Count">At most this many sessions; all up to now when null.</param>
/// <param name="Name">The backfill's name (default: made from <paramref name="From"/> and <paramref name="Count"/>, so asking twice finds the first).</param>
public sealed record BackfillRequest(string Project, string Workflow, string From, int? Count = null, string? Name = null);

/// <summary>The sessions a backfill would run (a dry run shows this).</summary>
public sealed record BackfillPlan(ScheduledWorkflow Workflow, string Name, IReadOnlyList<DateTimeOffset> SessionTimes);

/// <summary>A backfill as stored, and whether this request created it (false: the name was taken, and this is the existing one).</summary>
public sealed record BackfillStart(BackfillState Backfill, bool Created);

/// <summary>
/// Backfills: past sessions of a scheduled workflow, run one after another. Creating one fixes
/// its sessions (from a time up to now, whose run time has passed) and its revision; each step
/// starts the next session once the previous one's attempt has finished, whatever its outcome.
/// The attempts are named after the backfill, so they are new attempts even of sessions that
/// ran before, and a step repeated after a crash finds the attempt it started.
/// </summary>
public sealed partial class Backfills(ScheduledWorkflows workflows, IScheduleStore store, ScheduledSessionStarter starter)
{
    /// <summary>A backfill that would start more sessions than this is refused: a typo in a date should not start years of sessions.</summary>
    public const int MaxSessions = 1000;

    /// <summary>The sessions and name of a backfill, without creating it.</summary>
    /// <exception cref="ScheduleRequestException">No such scheduled workflow, a bad time, count or name, or no session to run.</exception>
    public Task<BackfillPlan> PlanAsync(BackfillRequest request, DateTimeOffset now, CancellationToken cancellationToken) =>
        PlanAsync(workflows, request, now, cancellationToken);

    /// <inheritdoc cref="PlanAsync(BackfillRequest, DateTimeOffset, CancellationToken)"/>
    /// <remarks>Needs only the workflows: a dry run starts nothing.</remarks>
    public static async Task<BackfillPlan> PlanAsync(ScheduledWorkflows workflows, BackfillRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        ArgumentNullException.ThrowIfNull(request);
        var lookup = await workflows.FindAsync(request.Project, request.Workflow, cancellationToken);
        var workflow = lookup.Workflow ?? throw new ScheduleRequestException(lookup.Problem!, notFound: true);
        if (request.Count is < 1)
        {
            throw new ScheduleRequestException($"count must be at least 1, got {request.Count}");
        }

        var from = SessionTimeText.Parse(request.From, workflow.Schedule.Zone, "from");
        var name = request.Name ?? DefaultName(from, request.Count);
        if (!NamePattern().IsMatch(name))
        {
            throw new ScheduleRequestException($"backfill name '{name}': use 1-64 letters, digits, '.', '_' or '-'");
        }

        var sessions = new List<DateTimeOffset>();
        var limit = request.Count ?? MaxSessions + 1;
        for (var time = workflow.Schedule.NextScheduleTime(from - TimeSpan.FromTicks(1)); time is not null && time.RunTime <= now && sessions.Count < limit; time = workflow.Schedule.NextScheduleTime(time.SessionTime))
        {
            sessions.Add(time.SessionTime);
        }

        if (sessions.Count == 0)
        {
            throw new ScheduleRequestException($"no session of {workflow.Project}/{workflow.Workflow} ({workflow.Schedule.Describe()}) from {Show(from)} has reached its run time yet");
        }

        if (sessions.Count > MaxSessions)
        {
            throw new ScheduleRequestException($"a backfill from {Show(from)} would run more than {MaxSessions} sessions; give a count (at most {MaxSessions}) or a later start");
        }

        return new BackfillPlan(workflow, name, sessions);
    }

    /// <summary>Creates the backfill; when one of that name exists, returns it instead (never a second one).</summary>
    public async Task<BackfillStart> CreateAsync(BackfillPlan plan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var (project, workflow) = (plan.Workflow.Project, plan.Workflow.Workflow);
        if (await store.GetBackfillAsync(project, workflow, plan.Name, cancellationToken) is { } existing)
        {
            return new BackfillStart(existing, Created: false);
        }

        await starter.SaveRevisionAsync(plan.Workflow.Revision, cancellationToken);
        var backfill = new BackfillState
        {
            Project = project,
            Workflow = workflow,
            Name = plan.Name,
            Revision = plan.Workflow.Revision.Id,
            SessionTimes = plan.SessionTimes,
            CreatedAt = now,
        };
        if (await store.TryWriteBackfillAsync(backfill, cancellationToken) is { } created)
        {
            return new BackfillStart(created, Created: true);
        }

        // Created by someone else between the read and the write.
        return new BackfillStart(await store.GetBackfillAsync(project, workflow, plan.Name, cancellationToken) ?? backfill, Created: false);
    }

    /// <summary>Moves every running backfill one step.</summary>
    public async Task<IReadOnlyList<SessionDecision>> StepAllAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var decisions = new List<SessionDecision>();
        foreach (var backfill in await store.ListBackfillsAsync(activeOnly: true, cancellationToken))
        {
            if ((await StepAsync(backfill, now, cancellationToken)).Decision is { } decision)
            {
                decisions.Add(decision);
            }
        }

        return decisions;
    }

    /// <summary>
    /// One step: nothing while the current session's attempt runs; else the next session is
    /// started, or, after the last one, the backfill is finished. Returns the backfill as stored
    /// after the step and the session started, if any.
    /// </summary>
    public async Task<(BackfillState Backfill, SessionDecision? Decision)> StepAsync(BackfillState backfill, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backfill);
        if (backfill.IsFinished || await CurrentRunsAsync(backfill, cancellationToken))
        {
            return (backfill, null);
        }

        if (backfill.Started >= backfill.SessionTimes.Count)
        {
            var finished = await store.TryWriteBackfillAsync(backfill with { FinishedAt = now }, cancellationToken);
            return (finished ?? await RereadAsync(backfill, cancellationToken), null);
        }

        var sessionTime = backfill.SessionTimes[backfill.Started];
        SessionDecision Decision(SessionOutcome outcome, string? attemptId = null, string? error = null) =>
            new(backfill.Project, backfill.Workflow, sessionTime, outcome, attemptId, backfill.Name, error);
        try
        {
            var workflow = await WorkflowOfAsync(backfill, cancellationToken);
            var started = await starter.StartAsync(workflow, sessionTime, backfill.Name, cancellationToken);
            var next = backfill with { Started = backfill.Started + 1, CurrentAttemptId = started.AttemptId };

            // Another scheduler took the step first: it started (or found) the same attempt.
            var stored = await store.TryWriteBackfillAsync(next, cancellationToken) ?? await RereadAsync(backfill, cancellationToken);
            return (stored, Decision(started.IsNew ? SessionOutcome.Started : SessionOutcome.AlreadyStarted, started.AttemptId));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (backfill, Decision(SessionOutcome.Failed, error: e.Message));
        }
    }

    private async Task<bool> CurrentRunsAsync(BackfillState backfill, CancellationToken cancellationToken) =>
        backfill.CurrentAttemptId is { } id
        && await starter.Runs.GetAttemptAsync(id, cancellationToken) is { Status: AttemptStatus.Running };

    private async Task<ScheduledWorkflow> WorkflowOfAsync(BackfillState backfill, CancellationToken cancellationToken)
    {
        var revision = starter.LoadRevision(backfill.Revision)
            ?? throw new InvalidOperationException($"project revision {backfill.Revision} of backfill {backfill.Name} is not stored");
        var scheduled = await workflows.OfRevisionAsync(revision, cancellationToken);
        return scheduled.FirstOrDefault(w => w.Workflow == backfill.Workflow)
            ?? throw new InvalidOperationException($"workflow {backfill.Workflow} has no schedule in revision {backfill.Revision}");
    }

    private async Task<BackfillState> RereadAsync(BackfillState backfill, CancellationToken cancellationToken) =>
        await store.GetBackfillAsync(backfill.Project, backfill.Workflow, backfill.Name, cancellationToken) ?? backfill;

    private static string DefaultName(DateTimeOffset from, int? count) =>
        "backfill-" + from.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture) + (count is { } c ? "-" + c.ToString(CultureInfo.InvariantCulture) : string.Empty);

    private static string Show(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();
}
