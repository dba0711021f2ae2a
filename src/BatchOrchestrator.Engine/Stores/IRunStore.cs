namespace BatchOrchestrator.Engine.Stores;

/// <summary>
/// Records of attempts and their tasks, written by activities (at least once: every write is an
/// idempotent upsert). SQLite locally, Blob storage in the cloud.
/// </summary>
public interface IRunStore
{
    /// <summary>Inserts or replaces the record of one task.</summary>
    Task UpsertTaskAsync(TaskRecord record, CancellationToken cancellationToken);

    /// <summary>Every task record of an attempt, in the order they were first written.</summary>
    Task<IReadOnlyList<TaskRecord>> GetTasksAsync(string attemptId, CancellationToken cancellationToken);
}
