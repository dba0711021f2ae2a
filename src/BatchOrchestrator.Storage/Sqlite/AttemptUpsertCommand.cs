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
        ON CONFLICT DO NOTHING;
        SELECT seq FROM run_sessions WHERE session_id = $session_id;
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

    private readonly SqliteCommand _session;
    private readonly SqliteCommand _attempt;
    private readonly SqliteCommand _select;

    public AttemptUpsertCommand(SqliteConnection connection)
    {
        _session = connection.CreateCommand();
        _session.CommandText = SessionSql;
        _attempt = connection.CreateCommand();
        _attempt.CommandText = AttemptSql;
        _select = connection.CreateCommand();
        _select.CommandText = RecordReaders.AttemptSelect + " WHERE a.attempt_id = $attempt_id";
    }

    public SessionRecord UpsertSession(SessionRecord record, SqliteTransaction transaction)
    {
        _session.Transaction = transaction;
        _session.Parameters.Clear();
        _session.Parameters.AddWithValue("$session_id", record.SessionId);
        _session.Parameters.AddWithValue("$project", record.Project);
        _session.Parameters.AddWithValue("$workflow", record.Workflow);
        _session.Parameters.AddWithValue("$session_time", record.Key.SessionTimeText);
        _session.Parameters.AddWithValue("$session_time_offset", (long)record.SessionTime.Offset.TotalMinutes);
        return record with { Number = Convert.ToInt64(_session.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) };
    }

    public AttemptRecord UpsertAttempt(AttemptRecord record, SqliteTransaction transaction)
    {
        UpsertSession(SessionRecord.Of(record.Session), transaction);
        _attempt.Transaction = transaction;
        _attempt.Parameters.Clear();
        _attempt.Parameters.AddWithValue("$attempt_id", record.AttemptId);
        _attempt.Parameters.AddWithValue("$session_id", record.SessionId);
        _attempt.Parameters.AddWithValue("$retry_attempt_name", StoredValues.Text(record.RetryAttemptName));
        _attempt.Parameters.AddWithValue("$attempt_index", record.Index);
        _attempt.Parameters.AddWithValue("$params", StoredValues.Json(record.Params));
        _attempt.Parameters.AddWithValue("$status", StoredValues.Name(record.Status));
        _attempt.Parameters.AddWithValue("$created_at", StoredValues.Time(record.CreatedAt));
        _attempt.Parameters.AddWithValue("$finished_at", StoredValues.Time(record.FinishedAt));
        _attempt.Parameters.AddWithValue("$resumed_from", StoredValues.Text(record.ResumedFrom));
        _attempt.ExecuteNonQuery();

        _select.Transaction = transaction;
        _select.Parameters.Clear();
        _select.Parameters.AddWithValue("$attempt_id", record.AttemptId);
        using var reader = _select.ExecuteReader();
        return reader.Read()
            ? RecordReaders.Attempt(reader)
            : throw new InvalidOperationException($"The attempt '{record.AttemptId}' was not stored.");
    }

    public void Dispose()
    {
        _session.Dispose();
        _attempt.Dispose();
        _select.Dispose();
    }
}
