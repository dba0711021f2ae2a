using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Language.Scheduling;

namespace BatchOrchestrator.Engine.Scheduling;

/// <summary>
/// Starts scheduled sessions. <see cref="TickAsync"/> is the whole scheduler: a host calls it
/// every minute (the local server's background loop, the Functions app's timer trigger) with the
/// current time. For each scheduled workflow it starts every session whose run time has come
/// since the workflow's cursor (so sessions missed while the host was down start late, unless
/// <c>skip_delayed_by</c> says not), applies <c>skip_on_overtime</c>, and moves the cursor past
/// each session it handled; then it moves every running backfill one step.
/// <para>
/// Exactly once: a session is started before the cursor moves past it, and starting derives the
/// attempt's instance id from (project, workflow, session time), so a tick interrupted between
/// the two, a restart, or a second scheduler on the same store finds the attempt instead of
/// starting a second one; the cursor itself moves by compare-and-set.
/// </para>
/// </summary>
public sealed class Scheduler(ScheduledWorkflows workflows, ScheduleStates states, Backfills backfills, ScheduledSessionStarter starter)
{
    public async Task<TickReport> TickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var decisions = new List<SessionDecision>();
        var problems = new List<string>();
        foreach (var workflow in await workflows.ListAsync(cancellationToken))
        {
            try
            {
                await TickWorkflowAsync(workflow, now, decisions, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One workflow's trouble (its state could not be read or written) does not hold up the others.
                problems.Add($"{workflow.Project}/{workflow.Workflow}: {e.Message}");
            }
        }

        decisions.AddRange(await backfills.StepAllAsync(now, cancellationToken));
        return new TickReport(now, decisions) { Problems = problems };
    }

    private async Task TickWorkflowAsync(ScheduledWorkflow workflow, DateTimeOffset now, List<SessionDecision> decisions, CancellationToken cancellationToken)
    {
        var state = await states.CurrentAsync(workflow, now, cancellationToken);
        var delay = workflow.Schedule.Definition.Rule.RunDelay;
        while (state.Enabled && workflow.Schedule.GetDueSessions(state.HandledThrough + delay, now).FirstOrDefault() is { } due)
        {
            var decision = await DecideAsync(workflow, state, due, now, cancellationToken);
            decisions.Add(decision);
            if (decision.Outcome == SessionOutcome.Failed)
            {
                // The cursor stays: the session is tried again on the next tick.
                return;
            }

            var started = decision.Outcome is SessionOutcome.Started or SessionOutcome.AlreadyStarted;
            var next = state with
            {
                HandledThrough = due.Time.SessionTime,
                LastSessionTime = started ? due.Time.SessionTime : state.LastSessionTime,
                UpdatedAt = now,
            };

            // Another scheduler moved the cursor first: carry on from where it left it.
            state = await states.Store.TryWriteAsync(next, cancellationToken)
                ?? await states.CurrentAsync(workflow, now, cancellationToken);
        }
    }

    private async Task<SessionDecision> DecideAsync(ScheduledWorkflow workflow, ScheduleState state, DueSession due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sessionTime = due.Time.SessionTime;
        SessionDecision Decision(SessionOutcome outcome, string? attemptId = null, string? error = null) =>
            new(workflow.Project, workflow.Workflow, sessionTime, outcome, attemptId, Error: error);

        if (due.Action == DueAction.SkipDelayed)
        {
            starter.Telemetry?.SessionSkipped(workflow.Project, workflow.Workflow, "delayed");
            return Decision(SessionOutcome.SkippedDelayed);
        }

        try
        {
            if (workflow.Schedule.SkipOnOvertime && await EarlierSessionRunsAsync(workflow, state, sessionTime, cancellationToken) is { } running)
            {
                starter.Telemetry?.SessionSkipped(workflow.Project, workflow.Workflow, "overtime");
                return Decision(SessionOutcome.SkippedOvertime, running);
            }

            // The attempt's trace links to this span: what started it, and when it was due.
            using var tick = starter.Telemetry?.Source.StartActivity("schedule " + workflow.Workflow, System.Diagnostics.ActivityKind.Producer);
            tick?.SetTag(Telemetry.TelemetryNames.Project, workflow.Project);
            tick?.SetTag(Telemetry.TelemetryNames.Workflow, workflow.Workflow);
            tick?.SetTag(Telemetry.TelemetryNames.SessionTime, sessionTime.ToString("O"));
            var started = await starter.StartAsync(workflow, sessionTime, retryAttemptName: null, cancellationToken);
            if (started.IsNew)
            {
                starter.Telemetry?.SessionScheduled(workflow.Project, workflow.Workflow, now - due.Time.RunTime);
            }

            return Decision(started.IsNew ? SessionOutcome.Started : SessionOutcome.AlreadyStarted, started.AttemptId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Decision(SessionOutcome.Failed, error: e.Message);
        }
    }

    /// <summary>
    /// The running attempt of an earlier session, if any: the session the scheduler started last
    /// (which may be several sessions back when the ones between were skipped) or the schedule's
    /// previous session (which may have been started by hand).
    /// </summary>
    private async Task<string?> EarlierSessionRunsAsync(ScheduledWorkflow workflow, ScheduleState state, DateTimeOffset sessionTime, CancellationToken cancellationToken)
    {
        var previous = workflow.Schedule.LastScheduleTime(sessionTime).SessionTime;
        foreach (var earlier in new[] { state.LastSessionTime, previous }.OfType<DateTimeOffset>().Distinct())
        {
            var key = new SessionKey(workflow.Project, workflow.Workflow, earlier);
            if (await starter.Runs.GetLatestAttemptAsync(SessionRecord.IdOf(key), cancellationToken) is { Status: AttemptStatus.Running } attempt)
            {
                return attempt.AttemptId;
            }
        }

        return null;
    }
}
