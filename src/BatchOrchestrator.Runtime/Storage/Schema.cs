namespace BatchOrchestrator.Runtime.Storage;

/// <summary>The tables of the runtime's database. Times are UTC ticks.</summary>
internal static class Schema
{
    public const int Version = 4;

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
        {History("history")}
        CREATE TABLE IF NOT EXISTS orchestration_queue (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            instance_id TEXT NOT NULL,
            execution_id TEXT,
            visible_at INTEGER NOT NULL,
            event TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_orchestration_queue_instance ON orchestration_queue (instance_id, id);
        {ActivityQueue("activity_queue")}
        {Payloads("payloads")}
        CREATE TABLE IF NOT EXISTS schema_info (version INTEGER NOT NULL);
        """;

    /// <summary>
    /// Version 1 to 2: the work queue's rows refer to their TaskScheduled event (by its history
    /// <c>seq</c>) instead of holding a second copy of the activity's input, and are keyed by what
    /// they are (instance, execution, task) instead of an AUTOINCREMENT id with an index on the
    /// instance: a commit that completes or schedules an activity wrote <c>sqlite_sequence</c> and
    /// that index too. Rows written by version 1 keep their inline input. The first files of version 1
    /// had no payloads table (it came within that version); the later steps copy it. One transaction,
    /// with the version's update.
    /// </summary>
    public static readonly string MigrateFrom1 = $"""
        CREATE TABLE IF NOT EXISTS payloads (hash TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;
        {ActivityQueue("activity_queue_v2")}
        INSERT INTO activity_queue_v2 (instance_id, execution_id, task_id, name, input) SELECT instance_id, execution_id, task_id, name, input FROM activity_queue;
        DROP TABLE activity_queue;
        ALTER TABLE activity_queue_v2 RENAME TO activity_queue;
        DELETE FROM sqlite_sequence WHERE name = 'activity_queue';
        UPDATE schema_info SET version = 2;
        """;

    /// <summary>
    /// Version 2 to 3: history becomes a rowid table with an index on (instance, seq) instead of a
    /// <c>WITHOUT ROWID</c> table keyed by them. Events then keep up to a page in their row (a
    /// <c>WITHOUT ROWID</c> row keeps ~1,000 bytes on a 4 KB page and puts the rest of a
    /// <c>sh&gt;</c> task's ~1.8 KB TaskScheduled and ~1.1 KB TaskCompleted on overflow pages), and a
    /// turn's events are appended to the table's last page, where SQLite splits a full page by
    /// starting a new one instead of spreading the keys over three siblings and their parent: ~1 to
    /// 1.7 pages fewer in each commit of a step (bench/engine/README.md). The events are copied in
    /// (instance, seq) order; one transaction, with the version's update.
    /// </summary>
    public static readonly string MigrateFrom2 = $"""
        {History("history_v3")}
        INSERT INTO history_v3 (instance_id, seq, event) SELECT instance_id, seq, event FROM history ORDER BY instance_id, seq;
        DROP TABLE history;
        ALTER TABLE history_v3 RENAME TO history;
        {HistoryIndex}
        UPDATE schema_info SET version = 3;
        """;

    /// <summary>
    /// Version 3 to 4: payloads become a rowid table with a unique index on their hash instead of a
    /// <c>WITHOUT ROWID</c> table keyed by it. Finding a hash in the old table compared it with stored
    /// rows, which made SQLite read each one whole, body and overflow pages: a 4 MB workflow was read
    /// again by every part of a large group that stored it. Now a lookup reads the index only, and a
    /// body is read only when its payload is. Every payload is copied under its hash, which is what
    /// events refer to; one transaction, with the version's update.
    /// </summary>
    public static readonly string MigrateFrom3 = $"""
        {Payloads("payloads_v4")}
        INSERT INTO payloads_v4 (hash, body) SELECT hash, body FROM payloads;
        DROP TABLE payloads;
        ALTER TABLE payloads_v4 RENAME TO payloads;
        {PayloadsIndex}
        UPDATE schema_info SET version = 4;
        """;

    // An instance's events by seq; the rowid (id) is the order they were written in, with no AUTOINCREMENT.
    private static string History(string table) => $"""
        CREATE TABLE IF NOT EXISTS {table} (
            id INTEGER PRIMARY KEY,
            instance_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            event TEXT NOT NULL
        );
        {(table == "history" ? HistoryIndex : "")}
        """;

    private const string HistoryIndex = "CREATE UNIQUE INDEX IF NOT EXISTS ix_history_instance ON history (instance_id, seq);";

    // Large activity results by content hash (PayloadStore). The hash comes first in the row, so the
    // row's start on its leaf page holds it; the body, from 16 K characters on, runs on overflow pages.
    private static string Payloads(string table) => $"""
        CREATE TABLE IF NOT EXISTS {table} (
            id INTEGER PRIMARY KEY,
            hash TEXT NOT NULL,
            body TEXT NOT NULL
        );
        {(table == "payloads" ? PayloadsIndex : "")}
        """;

    private const string PayloadsIndex = "CREATE UNIQUE INDEX IF NOT EXISTS ix_payloads_hash ON payloads (hash);";

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
