using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>The SELECTs of the run store and how their rows become records; columns are read by position.</summary>
internal static class RecordReaders
{
    public const string SessionSelect =
        "SELECT s.session_id, s.project, s.workflow, s.session_time, s.session_time_offset, s.seq FROM run_sessions s";

    private const string AttemptColumns = """
        a.attempt_id, s.project, s.workflow, s.session_time, s.session_time_offset, a.retry_attempt_name,
               a.attempt_index, a.params, a.status, a.created_at, a.finished_at, a.resumed_from
        """;

    private const string AttemptFrom = " FROM run_attempts a JOIN run_sessions s ON s.session_id = a.session_id";

    public const string AttemptSelect = "SELECT " + AttemptColumns + AttemptFrom;

    /// <summary><see cref="AttemptSelect"/> with the attempt's row number last (column 12), for paging.</summary>
    public const string AttemptPageSelect = "SELECT " + AttemptColumns + ", a.seq" + AttemptFrom;

    public const string TaskSelect = """
        SELECT attempt_id, task_name, state, tries, started_at, finished_at, store_params, export_params, error, log_reference, sequence
        FROM run_tasks
        """;

    public static SessionRecord Session(SqliteDataReader row) => new(
        row.GetString(0),
        row.GetString(1),
        row.GetString(2),
        StoredValues.ReadSessionTime(row.GetString(3), row.GetInt64(4)));

    public static AttemptRecord Attempt(SqliteDataReader row) => new()
    {
        AttemptId = row.GetString(0),
        Session = new SessionKey(row.GetString(1), row.GetString(2), StoredValues.ReadSessionTime(row.GetString(3), row.GetInt64(4))),
        RetryAttemptName = Text(row, 5),
        Index = row.GetInt32(6),
        Params = StoredValues.ReadJson(Text(row, 7)),
        Status = StoredValues.ReadAttemptStatus(row.GetString(8)),
        CreatedAt = StoredValues.ReadTime(row.GetString(9)),
        FinishedAt = Time(row, 10),
        ResumedFrom = Text(row, 11),
    };

    public static TaskRecord Task(SqliteDataReader row) => new()
    {
        AttemptId = row.GetString(0),
        TaskName = row.GetString(1),
        State = StoredValues.ReadTaskState(row.GetString(2)),
        Tries = row.GetInt32(3),
        StartedAt = Time(row, 4),
        FinishedAt = Time(row, 5),
        StoreParams = StoredValues.ReadJson(Text(row, 6)),
        ExportParams = StoredValues.ReadJson(Text(row, 7)),
        Error = Text(row, 8),
        LogReference = Text(row, 9),
        Sequence = row.GetInt64(10),
    };

    private static string? Text(SqliteDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

    private static DateTimeOffset? Time(SqliteDataReader row, int ordinal) =>
        row.IsDBNull(ordinal) ? null : StoredValues.ReadTime(row.GetString(ordinal));
}
