namespace BatchOrchestrator.Engine.Stores;

/// <summary>
/// How far a task has come within one try, the order run stores use to drop stale writes:
/// blocked → ready → running → planned / retry waiting → finished (success, error, group error,
/// canceled). States of equal progress may replace each other.
/// </summary>
public static class TaskStateProgress
{
    public static int Of(TaskState state) => state switch
    {
        TaskState.Blocked => 0,
        TaskState.Ready => 1,
        TaskState.Running => 2,
        TaskState.Planned or TaskState.RetryWaiting or TaskState.GroupRetryWaiting => 3,
        TaskState.Success or TaskState.Error or TaskState.GroupError or TaskState.Canceled or TaskState.Skipped => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown task state."),
    };

    /// <summary>True for the states a task ends in: success, error, group error, canceled, skipped.</summary>
    public static bool IsFinished(TaskState state) => Of(state) == Of(TaskState.Success);

    /// <summary>Whether a write of (<paramref name="tries"/>, <paramref name="state"/>) may replace the stored (<paramref name="storedTries"/>, <paramref name="storedState"/>).</summary>
    public static bool Replaces(int tries, TaskState state, int storedTries, TaskState storedState) =>
        tries > storedTries || (tries == storedTries && Of(state) >= Of(storedState));
}
