using BatchOrchestrator.Engine.Stores;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>
/// An attempt's status read inside the writer's transaction, prepared once per connection: a launch
/// reads it right after writing its mark (<see cref="SqliteRunStore.MarkLaunchAsync"/>).
/// </summary>
internal sealed class AttemptStatusQuery : IDisposable
{
    /// <summary>The read, with its attempt as <c>$id</c>: also what <see cref="SqliteRunStore.GetAttemptStatusAsync"/> runs outside a write.</summary>
    public const string Sql = "SELECT status FROM run_attempts WHERE attempt_id = $id";

    private readonly SqliteCommand _command;
    private readonly SqliteParameter _attemptId;

    public AttemptStatusQuery(SqliteConnection connection)
    {
        _command = connection.CreateCommand();
        _command.CommandText = Sql;
        _attemptId = _command.Parameters.Add("$id", SqliteType.Text);
    }

    public AttemptStatus? Read(string attemptId, SqliteTransaction transaction)
    {
        _command.Transaction = transaction;
        _attemptId.Value = attemptId;
        return _command.ExecuteScalar() is string status ? StoredValues.ReadAttemptStatus(status) : null;
    }

    public void Dispose() => _command.Dispose();
}
