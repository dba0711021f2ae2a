using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>The writer connection's commands, prepared once and reused by every batch.</summary>
internal sealed class WriteCommands(SqliteConnection connection) : IDisposable
{
    public TaskUpsertCommand Tasks { get; } = new(connection);

    public AttemptUpsertCommand Attempts { get; } = new(connection);

    public StartedTryUpsertCommand StartedTries { get; } = new(connection);

    public AttemptStatusQuery AttemptStatus { get; } = new(connection);

    public void Dispose()
    {
        Tasks.Dispose();
        Attempts.Dispose();
        StartedTries.Dispose();
        AttemptStatus.Dispose();
    }
}
