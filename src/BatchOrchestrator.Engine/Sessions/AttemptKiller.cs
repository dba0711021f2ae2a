using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Sessions;

/// <summary>
/// The record side of killing an attempt: the attempt recorded as killed (which every activity of
/// the attempt reads before it starts anything), and the tasks it had not finished as canceled.
/// Killing itself is <see cref="AttemptLauncher.KillAsync"/>.
/// </summary>
public static class AttemptKiller
{
    /// <summary>
    /// Written after every update the interpreter can make, so a late write of a terminated
    /// activity (at-least-once) cannot bring a canceled task back to running.
    /// </summary>
    internal const long FinalSequence = long.MaxValue;

    /// <summary>
    /// Records the attempt as killed, if it was running: from then on no activity of the attempt
    /// starts a command or an operator (they read the status first). Returns whether it moved.
    /// </summary>
    public static async Task<bool> RecordKillAsync(IRunStore runs, string attemptId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (await runs.GetAttemptAsync(attemptId, cancellationToken) is not { Status: AttemptStatus.Running } attempt)
        {
            return false;
        }

        var stored = await runs.UpsertAttemptAsync(attempt with { Status = AttemptStatus.Killed, FinishedAt = now }, cancellationToken);
        return stored.Status == AttemptStatus.Killed;
    }

    /// <summary>
    /// Records the attempt as killed and its unfinished tasks as canceled (no effect on a finished
    /// attempt's status). <paramref name="unstopped"/> names tasks whose try could not be stopped, and why.
    /// </summary>
    public static async Task MarkKilledAsync(IRunStore runs, string attemptId, DateTimeOffset now, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? unstopped = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        await RecordKillAsync(runs, attemptId, now, cancellationToken);
        var tasks = await runs.GetTasksAsync(attemptId, cancellationToken);
        var canceled = tasks
            .Where(t => TaskStateProgress.Of(t.State) < TaskStateProgress.Of(TaskState.Success))
            .Select(t => t with
            {
                State = TaskState.Canceled,
                FinishedAt = now,
                Error = unstopped?.GetValueOrDefault(t.TaskName) is { } why ? $"killed, but what it started could not be stopped: {why}" : t.Error ?? "killed",
                Sequence = FinalSequence,
            })
            .ToList();
        if (canceled.Count > 0)
        {
            await runs.UpsertTasksAsync(canceled, cancellationToken);
        }
    }
}
