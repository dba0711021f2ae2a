using BatchOrchestrator.Engine.Stores;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>
/// The prepared write of a started try (<see cref="SqliteRunStore.UpsertStartedTryAsync(StartedTry, CancellationToken)"/>): a
/// launch writes two of them, so parsing and planning both statements once per connection instead
/// of once per write is most of what SQLite spends on them.
/// </summary>
internal sealed class StartedTryUpsertCommand : IDisposable
{
    // The launch stored before this write, read in the same transaction: the same one means a launch delivered again.
    private const string ReadSql =
        "SELECT json_extract(body, '$.launch'), json_extract(body, '$.deliveries') FROM run_started_tries WHERE attempt_id = $attempt_id AND task_name = $task_name AND try = $try";

    // A write without the command's state never replaces one with it of the same launch (delivered again):
    // it only counts the delivery (CountSql).
    private const string UpsertSql = """
        INSERT INTO run_started_tries (attempt_id, task_name, try, launched, body)
        VALUES ($attempt_id, $task_name, $try, $launched, $body)
        ON CONFLICT (attempt_id, task_name, try) DO UPDATE SET launched = excluded.launched, body = excluded.body
        WHERE excluded.launched = 1 OR run_started_tries.launched = 0
            OR json_extract(run_started_tries.body, '$.launch') IS NOT json_extract(excluded.body, '$.launch')
        """;

    private const string CountSql =
        "UPDATE run_started_tries SET body = json_set(body, '$.deliveries', $deliveries) WHERE attempt_id = $attempt_id AND task_name = $task_name AND try = $try";

    private readonly KeyedCommand _read;
    private readonly KeyedCommand _upsert;
    private readonly KeyedCommand _count;
    private readonly SqliteParameter _launched, _body, _deliveries;

    public StartedTryUpsertCommand(SqliteConnection connection)
    {
        _read = new KeyedCommand(connection, ReadSql);
        _upsert = new KeyedCommand(connection, UpsertSql);
        _launched = _upsert.Command.Parameters.Add("$launched", SqliteType.Integer);
        _body = _upsert.Command.Parameters.Add("$body", SqliteType.Text);
        _count = new KeyedCommand(connection, CountSql);
        _deliveries = _count.Command.Parameters.Add("$deliveries", SqliteType.Integer);
    }

    /// <summary>
    /// Writes <paramref name="started"/> (<paramref name="serialize"/> gives its JSON) in
    /// <paramref name="transaction"/>; returns how many times a launch's mark (no command yet) was
    /// delivered before this one with the same launch, 0 for a first delivery or a state write.
    /// </summary>
    public int Execute(StartedTry started, Func<StartedTry, string> serialize, SqliteTransaction transaction)
    {
        var earlier = 0;
        if (started.Command is null && started.Launch is { } launch)
        {
            using var stored = _read.Bind(started, transaction).ExecuteReader();
            if (stored.Read() && !stored.IsDBNull(0) && stored.GetString(0) == launch)
            {
                // A mark written before deliveries were counted stands for one.
                earlier = stored.IsDBNull(1) ? 1 : stored.GetInt32(1);
            }
        }

        var write = started.Command is null ? started with { Deliveries = earlier + 1 } : started;
        _launched.Value = started.Command is null ? 0 : 1;
        _body.Value = serialize(write);
        if (_upsert.Bind(started, transaction).ExecuteNonQuery() == 0)
        {
            // The state of this launch is already written: keep it, count the delivery.
            _deliveries.Value = write.Deliveries;
            _count.Bind(started, transaction).ExecuteNonQuery();
        }

        return earlier;
    }

    public void Dispose()
    {
        _read.Command.Dispose();
        _upsert.Command.Dispose();
        _count.Command.Dispose();
    }

    /// <summary>A prepared statement on one started try's key.</summary>
    private sealed class KeyedCommand
    {
        private readonly SqliteParameter _attemptId, _taskName, _try;

        public KeyedCommand(SqliteConnection connection, string sql)
        {
            Command = connection.CreateCommand();
            Command.CommandText = sql;
            _attemptId = Command.Parameters.Add("$attempt_id", SqliteType.Text);
            _taskName = Command.Parameters.Add("$task_name", SqliteType.Text);
            _try = Command.Parameters.Add("$try", SqliteType.Integer);
        }

        public SqliteCommand Command { get; }

        public SqliteCommand Bind(StartedTry started, SqliteTransaction transaction)
        {
            Command.Transaction = transaction;
            _attemptId.Value = started.AttemptId;
            _taskName.Value = started.TaskName;
            _try.Value = started.Try;
            return Command;
        }
    }
}
