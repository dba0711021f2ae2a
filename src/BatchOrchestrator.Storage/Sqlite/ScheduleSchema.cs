namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>
/// The schedule store's tables: one row per scheduled workflow and one per backfill, each with a
/// version that every write compares and increments (two servers on one file never both move a
/// cursor). Times are ISO-8601 text with their offset.
/// </summary>
internal static class ScheduleSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS schedule_states (
            project TEXT NOT NULL,
            workflow TEXT NOT NULL,
            enabled INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            handled_through TEXT NOT NULL,
            last_session_time TEXT,
            updated_at TEXT NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (project, workflow)
        );
        CREATE TABLE IF NOT EXISTS schedule_backfills (
            project TEXT NOT NULL,
            workflow TEXT NOT NULL,
            name TEXT NOT NULL,
            revision TEXT NOT NULL,
            session_times TEXT NOT NULL,
            started INTEGER NOT NULL,
            current_attempt_id TEXT,
            created_at TEXT NOT NULL,
            finished_at TEXT,
            version INTEGER NOT NULL,
            PRIMARY KEY (project, workflow, name)
        );
        """;
}
