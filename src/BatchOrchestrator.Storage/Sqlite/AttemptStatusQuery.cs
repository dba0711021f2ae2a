using BatchOrchestrator.Engine.Stores;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>
/// An attempt's status read inside the writer's transaction, prepared once per connection: a launch
/// reads it right after writing its mark (<see cref="SqliteRunStore.MarkLaunchAsync"/>).
/// </summary>
internal sealed class AttemptStatusQuery : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter _attemptId;

    public AttemptStatusQuery(SqliteConnection connection)
    {
        _command = connection.CreateCommand();
        _command.CommandText = "SELECT status FROM run_attempts WHERE attempt_id = $attempt_id";
        _attemptId = _command.Parameters.Add("$attempt_id", SqliteType.Text);
    }

    public AttemptStatus? Read(string attemptId, SqliteTransaction transaction)
    {
        _command.Transaction = transaction;
        _attemptId.Value = attemptId;
        return _command.ExecuteScalar() is string status ? StoredValues.ReadAttemptStatus(status) : null;
    }

    public void Dispose() => _command.Dispose();
}
