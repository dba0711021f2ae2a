using BatchOrchestrator.Engine.Stores;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>
/// The prepared upsert of one task record, reused for every record the writer commits. The
/// WHERE clause drops stale writes: a sequenced write (<see cref="TaskRecord.Sequence"/> &gt; 0)
/// replaces the row only when it is newer than what is stored; unsequenced writes follow
/// <see cref="TaskStateProgress.Replaces"/>. A stale write matches no row.
/// </summary>
internal sealed class TaskUpsertCommand : IDisposable
{
    private const string Sql = """
        INSERT INTO run_tasks (attempt_id, task_name, state, progress, tries, started_at, finished_at,
                               store_params, export_params, error, log_reference, sequence)
        VALUES ($attempt_id, $task_name, $state, $progress, $tries, $started_at, $finished_at,
                $store_params, $export_params, $error, $log_reference, $sequence)
        ON CONFLICT (attempt_id, task_name) DO UPDATE SET
            state = excluded.state,
            progress = excluded.progress,
            tries = excluded.tries,
            started_at = excluded.started_at,
            finished_at = excluded.finished_at,
            store_params = excluded.store_params,
            export_params = excluded.export_params,
            error = excluded.error,
            log_reference = excluded.log_reference,
            sequence = excluded.sequence
        WHERE (excluded.sequence > 0 AND excluded.sequence > run_tasks.sequence)
           OR (excluded.sequence = 0 AND run_tasks.sequence = 0
               AND (excluded.tries > run_tasks.tries
                    OR (excluded.tries = run_tasks.tries AND excluded.progress >= run_tasks.progress)))
        """;

    private readonly SqliteCommand _command;
    private readonly SqliteParameter _attemptId, _taskName, _state, _progress, _tries, _startedAt, _finishedAt, _storeParams, _exportParams, _error, _logReference, _sequence;

    public TaskUpsertCommand(SqliteConnection connection)
    {
        _command = connection.CreateCommand();
        _command.CommandText = Sql;
        _attemptId = _command.Parameters.Add("$attempt_id", SqliteType.Text);
        _taskName = _command.Parameters.Add("$task_name", SqliteType.Text);
        _state = _command.Parameters.Add("$state", SqliteType.Text);
        _progress = _command.Parameters.Add("$progress", SqliteType.Integer);
        _tries = _command.Parameters.Add("$tries", SqliteType.Integer);
        _startedAt = _command.Parameters.Add("$started_at", SqliteType.Text);
        _finishedAt = _command.Parameters.Add("$finished_at", SqliteType.Text);
        _storeParams = _command.Parameters.Add("$store_params", SqliteType.Text);
        _exportParams = _command.Parameters.Add("$export_params", SqliteType.Text);
        _error = _command.Parameters.Add("$error", SqliteType.Text);
        _logReference = _command.Parameters.Add("$log_reference", SqliteType.Text);
        _sequence = _command.Parameters.Add("$sequence", SqliteType.Integer);
    }

    /// <summary>Upserts one record in <paramref name="transaction"/>; true when it was written, false when it was stale.</summary>
    public bool Execute(TaskRecord record, SqliteTransaction transaction)
    {
        _command.Transaction = transaction;
        _attemptId.Value = record.AttemptId;
        _taskName.Value = record.TaskName;
        _state.Value = StoredValues.Name(record.State);
        _progress.Value = TaskStateProgress.Of(record.State);
        _tries.Value = record.Tries;
        _startedAt.Value = StoredValues.Time(record.StartedAt);
        _finishedAt.Value = StoredValues.Time(record.FinishedAt);
        _storeParams.Value = StoredValues.Json(record.StoreParams);
        _exportParams.Value = StoredValues.Json(record.ExportParams);
        _error.Value = StoredValues.Text(record.Error);
        _logReference.Value = StoredValues.Text(record.LogReference);
        _sequence.Value = record.Sequence;
        return _command.ExecuteNonQuery() > 0;
    }

    public void Dispose() => _command.Dispose();
}
