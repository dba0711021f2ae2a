namespace BatchOrchestrator.Engine.Scheduling;

/// <summary>
/// A backfill: past sessions of a scheduled workflow run one after another, each attempt named
/// <see cref="Name"/> (so its instance id is fixed, and starting it again finds it instead of
/// running it twice). The sessions are fixed when it is created, as is the revision they run.
/// </summary>
public sealed record BackfillState
{
    public required string Project { get; init; }

    public required string Workflow { get; init; }

    /// <summary>Unique per workflow; the retry attempt name of every attempt it starts.</summary>
    public required string Name { get; init; }

    /// <summary>The project revision every session of the backfill runs.</summary>
    public required string Revision { get; init; }

    /// <summary>The session times to run, oldest first, with the workflow's time zone offset.</summary>
    public required IReadOnlyList<DateTimeOffset> SessionTimes { get; init; }

    /// <summary>How many sessions have been started (the next one to start is at this index).</summary>
    public int Started { get; init; }

    /// <summary>The attempt of the session started last; the next one waits until it has finished.</summary>
    public string? CurrentAttemptId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its last session finished; null while it runs.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The row's version as read; 0 for a backfill not stored yet.</summary>
    public long Version { get; init; }

    public bool IsFinished => FinishedAt is not null;
}
