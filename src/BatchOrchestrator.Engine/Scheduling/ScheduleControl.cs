namespace BatchOrchestrator.Engine.Scheduling;

/// <summary>
/// What people do to schedules (the API's <c>/api/schedules</c> and the CLI): list them, enable
/// and disable, skip sessions ahead. Every change goes through <see cref="ScheduleStates"/>, so it
/// composes with a scheduler ticking at the same time.
/// </summary>
public sealed class ScheduleControl(ScheduledWorkflows workflows, ScheduleStates states)
{
    /// <summary>Every schedule, optionally of one project and workflow, by project and workflow name.</summary>
    public async Task<IReadOnlyList<ScheduleView>> ListAsync(string? project, string? workflow, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = new List<ScheduleView>();
        foreach (var scheduled in await workflows.ListAsync(cancellationToken))
        {
            if ((project is null || scheduled.Project == project) && (workflow is null || scheduled.Workflow == workflow))
            {
                result.Add(View(scheduled, await states.ReadAsync(scheduled, now, cancellationToken), now));
            }
        }

        return result;
    }

    /// <summary>One schedule.</summary>
    /// <exception cref="ScheduleRequestException">No such project, workflow, or schedule (<see cref="ScheduleRequestException.NotFound"/>).</exception>
    public async Task<ScheduleView> GetAsync(string project, string workflow, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var scheduled = await FindAsync(project, workflow, cancellationToken);
        return View(scheduled, await states.ReadAsync(scheduled, now, cancellationToken), now);
    }

    /// <summary>
    /// Enables or disables a schedule. Sessions whose run time passes while it is disabled are
    /// not started when it is enabled again (a backfill runs them, if wanted).
    /// </summary>
    public Task<ScheduleView> SetEnabledAsync(string project, string workflow, bool enabled, DateTimeOffset now, CancellationToken cancellationToken) =>
        ChangeAsync(project, workflow, now, (scheduled, state) => state.Enabled == enabled
            ? state
            : state with { Enabled = enabled, HandledThrough = enabled ? Resumed(scheduled, state, now) : state.HandledThrough },
            cancellationToken);

    /// <summary>
    /// Skips the next <paramref name="count"/> sessions, or every session before
    /// <paramref name="untilSessionTime"/> (a date or time in the workflow's time zone, or ISO-8601).
    /// </summary>
    /// <exception cref="ScheduleRequestException">Neither or both given, a count below 1, a bad time, or no such schedule.</exception>
    public async Task<ScheduleView> SkipAsync(string project, string workflow, int? count, string? untilSessionTime, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (count is null == untilSessionTime is null)
        {
            throw new ScheduleRequestException("skip: give either count (the next N sessions) or untilSessionTime (every session before it)");
        }

        if (count is < 1)
        {
            throw new ScheduleRequestException($"skip: count must be at least 1, got {count}");
        }

        var scheduled = await FindAsync(project, workflow, cancellationToken);
        var until = untilSessionTime is null ? (DateTimeOffset?)null : SessionTimeText.Parse(untilSessionTime, scheduled.Schedule.Zone, "untilSessionTime");
        return await ChangeAsync(project, workflow, now, (_, state) =>
        {
            var cursor = state.Enabled ? state.HandledThrough : Resumed(scheduled, state, now);
            if (until is { } end)
            {
                cursor = ScheduleStates.Later(cursor, end - TimeSpan.FromTicks(1));
            }
            else
            {
                for (var skipped = 0; skipped < count && scheduled.Schedule.NextScheduleTime(cursor) is { } next; skipped++)
                {
                    cursor = next.SessionTime;
                }
            }

            return state with { HandledThrough = cursor };
        },
        cancellationToken);
    }

    private async Task<ScheduleView> ChangeAsync(string project, string workflow, DateTimeOffset now, Func<ScheduledWorkflow, ScheduleState, ScheduleState> change, CancellationToken cancellationToken)
    {
        var scheduled = await FindAsync(project, workflow, cancellationToken);
        var state = await states.UpdateAsync(scheduled, now, state => change(scheduled, state), cancellationToken);
        return View(scheduled, state, now);
    }

    private async Task<ScheduledWorkflow> FindAsync(string project, string workflow, CancellationToken cancellationToken)
    {
        var lookup = await workflows.FindAsync(project, workflow, cancellationToken);
        return lookup.Workflow ?? throw new ScheduleRequestException(lookup.Problem!, notFound: true);
    }

    /// <summary>The cursor of a schedule enabled at <paramref name="now"/>: what was skipped ahead stays skipped, what passed while disabled is not run.</summary>
    private static DateTimeOffset Resumed(ScheduledWorkflow scheduled, ScheduleState state, DateTimeOffset now) =>
        ScheduleStates.Later(state.HandledThrough, ScheduleStates.FirstCursor(scheduled, now));

    private static ScheduleView View(ScheduledWorkflow scheduled, ScheduleState state, DateTimeOffset now)
    {
        var cursor = state.Enabled ? state.HandledThrough : Resumed(scheduled, state, now);
        var next = scheduled.Schedule.NextScheduleTime(cursor);
        return new ScheduleView(
            scheduled.Project,
            scheduled.Workflow,
            scheduled.Schedule.Describe(),
            scheduled.Schedule.Zone.Id,
            state.Enabled,
            next?.SessionTime,
            next?.RunTime,
            state.LastSessionTime);
    }
}
