using BatchOrchestrator.Engine.Workflows.Params;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>How a task (and everything under it) ended, and the store it leaves for later tasks.</summary>
public sealed record TaskOutcome(bool Succeeded, StoreParams Store, IReadOnlyList<TaskError> Errors)
{
    /// <summary>
    /// Records and log lines a chunk sub-orchestration had not written yet: its parent writes
    /// them with its own next activity call, which spares the chunk a write and a turn of its own.
    /// </summary>
    public Activities.PendingWrites? Writes { get; init; }

    /// <summary>A chunk's logical clock when it returned: its parent's next param contributions come after it.</summary>
    public long? Clock { get; init; }

    public static TaskOutcome Success(StoreParams store) => new(true, store, []);

    public static TaskOutcome Failure(StoreParams store, IReadOnlyList<TaskError> errors) => new(false, store, errors);

    /// <summary>Every failed task's message after its name: a group's recorded error.</summary>
    public string ErrorMessage => string.Join("; ", Errors.Select(e => $"{e.TaskName}: {e.Message}"));

    /// <summary>
    /// The error recorded on a task: its own errors' messages without its name (every view shows
    /// the name beside it already), others' — a group's children's — after their names.
    /// </summary>
    public string ErrorOf(string taskName) =>
        string.Join("; ", Errors.Select(e => e.TaskName == taskName ? e.Message : $"{e.TaskName}: {e.Message}"));
}
