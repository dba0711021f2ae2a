using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Scheduling;

/// <summary>
/// Reads and changes schedule states by the store's compare-and-set: a change is computed from
/// the row as read and written only if nobody wrote it meanwhile; otherwise it is computed again
/// from the new row. The rules for a workflow the scheduler has not seen, and for a schedule a
/// new revision changed, live here so the scheduler, the API and the CLI agree on them.
/// </summary>
public sealed class ScheduleStates(IScheduleStore store)
{
    private const int MaxConflicts = 20;

    public IScheduleStore Store => store;

    /// <summary>
    /// The cursor of a schedule first seen at <paramref name="now"/>: sessions whose run time has
    /// passed are not started (a new workflow does not run its past), the one due this second is.
    /// </summary>
    public static DateTimeOffset FirstCursor(ScheduledWorkflow workflow, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var second = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return second - workflow.Schedule.Definition.Rule.RunDelay - TimeSpan.FromTicks(1);
    }

    /// <summary>The stored state, or the state a workflow first seen now would get (not stored).</summary>
    public async Task<ScheduleState> ReadAsync(ScheduledWorkflow workflow, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var stored = await store.GetAsync(workflow.Project, workflow.Workflow, cancellationToken);
        return stored is null ? Initial(workflow, now) : Aligned(workflow, stored, now);
    }

    /// <summary>
    /// The stored state, created or realigned to the current schedule first if needed (and
    /// written, so every scheduler reads the same cursor afterwards).
    /// </summary>
    public Task<ScheduleState> CurrentAsync(ScheduledWorkflow workflow, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAsync(workflow, now, state => state, cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the current state and stores it, again from the new
    /// row when another writer came first. Returns the stored state.
    /// </summary>
    public async Task<ScheduleState> UpdateAsync(ScheduledWorkflow workflow, DateTimeOffset now, Func<ScheduleState, ScheduleState> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(change);
        for (var conflict = 0; conflict < MaxConflicts; conflict++)
        {
            var stored = await store.GetAsync(workflow.Project, workflow.Workflow, cancellationToken);
            var current = stored is null ? Initial(workflow, now) : Aligned(workflow, stored, now);
            var changed = change(current) with { Version = current.Version };
            if (stored is not null && changed == stored)
            {
                return stored;
            }

            if (await store.TryWriteAsync(changed with { UpdatedAt = now }, cancellationToken) is { } written)
            {
                return written;
            }
        }

        throw new InvalidOperationException($"the schedule of {workflow.Project}/{workflow.Workflow} kept changing under {MaxConflicts} attempts to update it");
    }

    private static ScheduleState Initial(ScheduledWorkflow workflow, DateTimeOffset now) => new()
    {
        Project = workflow.Project,
        Workflow = workflow.Workflow,
        Fingerprint = workflow.Fingerprint,
        HandledThrough = FirstCursor(workflow, now),
        UpdatedAt = now,
    };

    private static ScheduleState Aligned(ScheduledWorkflow workflow, ScheduleState stored, DateTimeOffset now) =>
        stored.Fingerprint == workflow.Fingerprint
            ? stored
            : stored with { Fingerprint = workflow.Fingerprint, HandledThrough = Later(stored.HandledThrough, FirstCursor(workflow, now)) };

    /// <summary>The later of two instants.</summary>
    public static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a.UtcTicks >= b.UtcTicks ? a : b;
}
