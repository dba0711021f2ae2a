namespace BatchOrchestrator.Runtime.Storage;

/// <summary>The tables of the runtime's database. Times are UTC ticks.</summary>
internal static class Schema
{
    public const int Version = 1;

    public const string Create = """
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
        CREATE TABLE IF NOT EXISTS activity_queue (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            instance_id TEXT NOT NULL,
            execution_id TEXT NOT NULL,
            task_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            input TEXT
        );
        CREATE INDEX IF NOT EXISTS ix_activity_queue_instance ON activity_queue (instance_id);
        CREATE TABLE IF NOT EXISTS payloads (
            hash TEXT PRIMARY KEY,
            body TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS schema_info (version INTEGER NOT NULL);
        """;
}
