namespace BatchOrchestrator.Runtime.Storage;

/// <summary>The tables of the runtime's database. Times are UTC ticks.</summary>
internal static class Schema
{
    public const int Version = 2;

    public static readonly string Create = $"""
        CREATE TABLE IF NOT EXISTS instances (
            instance_id TEXT PRIMARY KEY,
            execution_id TEXT NOT NULL,
            name TEXT NOT NULL,
            status INTEGER NOT NULL,
            input TEXT,
            output TEXT,
            custom_status TEXT,
            failure TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            completed_at INTEGER,
            parent_instance_id TEXT,
            parent_execution_id TEXT,
            parent_task_id INTEGER NOT NULL DEFAULT -1,
            history_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS ix_instances_created ON instances (created_at);
        CREATE INDEX IF NOT EXISTS ix_instances_parent ON instances (parent_instance_id);
        CREATE TABLE IF NOT EXISTS history (
            instance_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            event TEXT NOT NULL,
            PRIMARY KEY (instance_id, seq)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS orchestration_queue (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            instance_id TEXT NOT NULL,
            execution_id TEXT,
            visible_at INTEGER NOT NULL,
            event TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_orchestration_queue_instance ON orchestration_queue (instance_id, id);
        {ActivityQueue("activity_queue")}
        CREATE TABLE IF NOT EXISTS payloads (
            hash TEXT PRIMARY KEY,
            body TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS schema_info (version INTEGER NOT NULL);
        """;

    /// <summary>
    /// Version 1 to 2: the work queue's rows refer to their TaskScheduled event (by its history
    /// <c>seq</c>) instead of holding a second copy of the activity's input, and are keyed by what
    /// they are (instance, execution, task) instead of an AUTOINCREMENT id with an index on the
    /// instance: a commit that completes or schedules an activity wrote <c>sqlite_sequence</c> and
    /// that index too. Rows written by version 1 keep their inline input. One transaction, with the
    /// version's update.
    /// </summary>
    public static readonly string MigrateFrom1 = $"""
        {ActivityQueue("activity_queue_v2")}
        INSERT INTO activity_queue_v2 (instance_id, execution_id, task_id, name, input) SELECT instance_id, execution_id, task_id, name, input FROM activity_queue;
        DROP TABLE activity_queue;
        ALTER TABLE activity_queue_v2 RENAME TO activity_queue;
        DELETE FROM sqlite_sequence WHERE name = 'activity_queue';
        UPDATE schema_info SET version = 2;
        """;

    // Activities scheduled and not yet completed; an instance's rows are found by the key's prefix (no
    // index of their own). input is NULL unless the row was written by version 1: the activity's input is
    // the payload of the TaskScheduled event at history_seq.
    private static string ActivityQueue(string table) => $"""
        CREATE TABLE IF NOT EXISTS {table} (
            instance_id TEXT NOT NULL,
            execution_id TEXT NOT NULL,
            task_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            input TEXT,
            history_seq INTEGER,
            PRIMARY KEY (instance_id, execution_id, task_id)
        ) WITHOUT ROWID;
        """;
}
