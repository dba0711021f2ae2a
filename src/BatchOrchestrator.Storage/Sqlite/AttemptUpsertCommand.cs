using BatchOrchestrator.Engine.Stores;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>
/// The upserts of sessions and attempts. The first write of an attempt fixes everything but its
/// status; a later write only moves a running attempt to a finished status
/// (<see cref="AttemptStatus"/>). An index of 0 takes the session's next index, computed inside the
/// writer's transaction so two new attempts never get the same one.
/// </summary>
internal sealed class AttemptUpsertCommand : IDisposable
{
    private const string SessionSql = """
        INSERT INTO run_sessions (session_id, project, workflow, session_time, session_time_offset)
        VALUES ($session_id, $project, $workflow, $session_time, $session_time_offset)
        ON CONFLICT DO NOTHING
        """;

    private const string AttemptSql = """
        INSERT INTO run_attempts (attempt_id, session_id, retry_attempt_name, attempt_index, params, status,
                                  created_at, finished_at, resumed_from)
        VALUES ($attempt_id, $session_id, $retry_attempt_name,
                CASE WHEN $attempt_index > 0 THEN $attempt_index
                     ELSE (SELECT COALESCE(MAX(attempt_index), 0) + 1 FROM run_attempts WHERE session_id = $session_id) END,
                $params, $status, $created_at, $finished_at, $resumed_from)
        ON CONFLICT (attempt_id) DO UPDATE SET
            status = excluded.status,
            finished_at = excluded.finished_at
        WHERE run_attempts.status = 'running' AND excluded.status <> 'running'
        """;

    private readonly SqliteCommand session;
    private readonly SqliteCommand attempt;
    private readonly SqliteCommand select;

    public AttemptUpsertCommand(SqliteConnection connection)
    {
        session = connection.CreateCommand();
        session.CommandText = SessionSql;
        attempt = connection.CreateCommand();
        attempt.CommandText = AttemptSql;
        select = connection.CreateCommand();
        select.CommandText = RecordReaders.AttemptSelect + " WHERE a.attempt_id = $attempt_id";
    }

    public SessionRecord UpsertSession(SessionRecord record, SqliteTransaction transaction)
    {
        session.Transaction = transaction;
        session.Parameters.Clear();
        session.Parameters.AddWithValue("$session_id", record.SessionId);
        session.Parameters.AddWithValue("$project", record.Project);
        session.Parameters.AddWithValue("$workflow", record.Workflow);
        session.Parameters.AddWithValue("$session_time", record.Key.SessionTimeText);
        session.Parameters.AddWithValue("$session_time_offset", (long)record.SessionTime.Offset.TotalMinutes);
        session.ExecuteNonQuery();
        return record;
    }

    public AttemptRecord UpsertAttempt(AttemptRecord record, SqliteTransaction transaction)
    {
        UpsertSession(SessionRecord.Of(record.Session), transaction);
        attempt.Transaction = transaction;
        attempt.Parameters.Clear();
        attempt.Parameters.AddWithValue("$attempt_id", record.AttemptId);
        attempt.Parameters.AddWithValue("$session_id", record.SessionId);
        attempt.Parameters.AddWithValue("$retry_attempt_name", StoredValues.Text(record.RetryAttemptName));
        attempt.Parameters.AddWithValue("$attempt_index", record.Index);
        attempt.Parameters.AddWithValue("$params", StoredValues.Json(record.Params));
        attempt.Parameters.AddWithValue("$status", StoredValues.Name(record.Status));
        attempt.Parameters.AddWithValue("$created_at", StoredValues.Time(record.CreatedAt));
        attempt.Parameters.AddWithValue("$finished_at", StoredValues.Time(record.FinishedAt));
        attempt.Parameters.AddWithValue("$resumed_from", StoredValues.Text(record.ResumedFrom));
        attempt.ExecuteNonQuery();

        select.Transaction = transaction;
        select.Parameters.Clear();
        select.Parameters.AddWithValue("$attempt_id", record.AttemptId);
        using var reader = select.ExecuteReader();
        return reader.Read()
            ? RecordReaders.Attempt(reader)
            : throw new InvalidOperationException($"The attempt '{record.AttemptId}' was not stored.");
    }

    public void Dispose()
    {
        session.Dispose();
        attempt.Dispose();
        select.Dispose();
    }
}
