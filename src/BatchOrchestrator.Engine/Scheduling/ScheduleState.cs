namespace BatchOrchestrator.Engine.Scheduling;

/// <summary>
/// What the scheduler remembers of one scheduled workflow. <see cref="HandledThrough"/> is its
/// cursor: every session whose session time is at or before it has been started or skipped, so
/// the next one to consider is the schedule's first session after it. Skipping sessions moves
/// the cursor; downtime leaves it behind, and the next tick catches up.
/// </summary>
public sealed record ScheduleState
{
    public required string Project { get; init; }

    public required string Workflow { get; init; }

    /// <summary>False after <c>disable</c>: no session starts until <c>enable</c>.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// The schedule the cursor was computed for (<see cref="ScheduledWorkflow.Fingerprint"/>).
    /// When a new revision changes the schedule, the cursor restarts from now, so an edit never
    /// starts a burst of sessions of the new schedule's past.
    /// </summary>
    public required string Fingerprint { get; init; }

    /// <summary>Sessions with a session time at or before this instant are done (started or skipped).</summary>
    public required DateTimeOffset HandledThrough { get; init; }

    /// <summary>The session time of the last session the scheduler started, if any.</summary>
    public DateTimeOffset? LastSessionTime { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The row's version as read; 0 for a row not stored yet. Compare-and-set writes check it.</summary>
    public long Version { get; init; }
}
