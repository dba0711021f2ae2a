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

    private readonly SqliteCommand command;
    private readonly SqliteParameter attemptId, taskName, state, progress, tries, startedAt, finishedAt, storeParams, exportParams, error, logReference, sequence;

    public TaskUpsertCommand(SqliteConnection connection)
    {
        command = connection.CreateCommand();
        command.CommandText = Sql;
        attemptId = command.Parameters.Add("$attempt_id", SqliteType.Text);
        taskName = command.Parameters.Add("$task_name", SqliteType.Text);
        state = command.Parameters.Add("$state", SqliteType.Text);
        progress = command.Parameters.Add("$progress", SqliteType.Integer);
        tries = command.Parameters.Add("$tries", SqliteType.Integer);
        startedAt = command.Parameters.Add("$started_at", SqliteType.Text);
        finishedAt = command.Parameters.Add("$finished_at", SqliteType.Text);
        storeParams = command.Parameters.Add("$store_params", SqliteType.Text);
        exportParams = command.Parameters.Add("$export_params", SqliteType.Text);
        error = command.Parameters.Add("$error", SqliteType.Text);
        logReference = command.Parameters.Add("$log_reference", SqliteType.Text);
        sequence = command.Parameters.Add("$sequence", SqliteType.Integer);
    }

    /// <summary>Upserts one record in <paramref name="transaction"/>; true when it was written, false when it was stale.</summary>
    public bool Execute(TaskRecord record, SqliteTransaction transaction)
    {
        command.Transaction = transaction;
        attemptId.Value = record.AttemptId;
        taskName.Value = record.TaskName;
        state.Value = StoredValues.Name(record.State);
        progress.Value = TaskStateProgress.Of(record.State);
        tries.Value = record.Tries;
        startedAt.Value = StoredValues.Time(record.StartedAt);
        finishedAt.Value = StoredValues.Time(record.FinishedAt);
        storeParams.Value = StoredValues.Json(record.StoreParams);
        exportParams.Value = StoredValues.Json(record.ExportParams);
        error.Value = StoredValues.Text(record.Error);
        logReference.Value = StoredValues.Text(record.LogReference);
        sequence.Value = record.Sequence;
        return command.ExecuteNonQuery() > 0;
    }

    public void Dispose() => command.Dispose();
}
