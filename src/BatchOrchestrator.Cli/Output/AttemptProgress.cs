using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Cli.Output;

/// <summary>What is known of a running attempt at one moment: the input of a progress display.</summary>
public sealed record AttemptProgress(AttemptRecord Attempt, IReadOnlyList<TaskRecord> Tasks, DateTimeOffset Now)
{
    /// <summary>The lines tasks wrote since the previous snapshot (none when output is not shown).</summary>
    public IReadOnlyList<TaskOutputLine> Output { get; init; } = [];

    /// <summary>The attempt and its task records as <paramref name="runs"/> holds them now; null when it has no such attempt.</summary>
    public static async Task<AttemptProgress?> ReadAsync(IRunStore runs, string attemptId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return await runs.GetAttemptAsync(attemptId, cancellationToken) is { } attempt
            ? new AttemptProgress(attempt, await runs.GetTasksAsync(attemptId, cancellationToken), now)
            : null;
    }

    /// <summary>
    /// Whether a task was reused from an earlier attempt rather than run by this one: a resumed
    /// attempt copies the records of reused tasks, so they started before this attempt existed.
    /// </summary>
    public bool IsReused(TaskRecord task) =>
        task is { State: TaskState.Success, StartedAt: { } started } && started < Attempt.CreatedAt;
}
