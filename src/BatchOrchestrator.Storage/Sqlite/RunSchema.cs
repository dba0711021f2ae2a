using BatchOrchestrator.Engine.Stores;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>
/// The run store's tables. Prefixed <c>run_</c> and versioned in their own table (not
/// <c>user_version</c>) so they can share a database file with the durable runtime's tables.
/// Times are ISO 8601 text with their offset, readable with the sqlite3 shell.
/// </summary>
internal static class RunSchema
{
    public const int Version = 3;

    // seq columns are rowid aliases: they give "first written" order and paging cursors, and an
    // upsert's UPDATE keeps them.
    private const string Create = """
        CREATE TABLE IF NOT EXISTS run_schema (version INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS run_sessions (
            seq INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL UNIQUE,
            project TEXT NOT NULL,
            workflow TEXT NOT NULL,
            session_time TEXT NOT NULL,
            session_time_offset INTEGER NOT NULL,
            UNIQUE (project, workflow, session_time)
        );
        CREATE INDEX IF NOT EXISTS ix_run_sessions_workflow ON run_sessions (project, workflow, seq);
        CREATE TABLE IF NOT EXISTS run_attempts (
            seq INTEGER PRIMARY KEY,
            attempt_id TEXT NOT NULL UNIQUE,
            session_id TEXT NOT NULL,
            retry_attempt_name TEXT,
            attempt_index INTEGER NOT NULL,
            params TEXT,
            status TEXT NOT NULL,
            created_at TEXT NOT NULL,
            finished_at TEXT,
            resumed_from TEXT,
            UNIQUE (session_id, attempt_index)
        );
        CREATE TABLE IF NOT EXISTS run_tasks (
            seq INTEGER PRIMARY KEY,
            attempt_id TEXT NOT NULL,
            task_name TEXT NOT NULL,
            state TEXT NOT NULL,
            progress INTEGER NOT NULL,
            tries INTEGER NOT NULL,
            started_at TEXT,
            finished_at TEXT,
            store_params TEXT,
            export_params TEXT,
            error TEXT,
            log_reference TEXT,
            sequence INTEGER NOT NULL DEFAULT 0,
            UNIQUE (attempt_id, task_name)
        );
        """ + StartedTries + SharedEnvironments;

    // Added in version 2: what each try started, for a kill to stop (Engine's StartedTry, as JSON).
    private const string StartedTries = """
        CREATE TABLE IF NOT EXISTS run_started_tries (
            attempt_id TEXT NOT NULL,
            task_name TEXT NOT NULL,
            try INTEGER NOT NULL,
            launched INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (attempt_id, task_name, try)
        );
        """;

    // Added in version 3: the environment an attempt's commands share, by key (Engine's SharedEnvironment).
    private const string SharedEnvironments = """
        CREATE TABLE IF NOT EXISTS run_shared_environments (
            key TEXT PRIMARY KEY,
            attempt_id TEXT NOT NULL,
            body TEXT NOT NULL
        );
        """;

    /// <summary>
    /// Creates the tables on first open, checks the version otherwise. An existing database is
    /// only read, so opening one for reading never waits for a writer.
    /// </summary>
    public static void Ensure(SqliteConnection connection, string databasePath)
    {
        var version = ReadVersion(connection);
        if (version is null)
        {
            using var transaction = connection.BeginTransaction();
            using var create = connection.CreateCommand();
            create.Transaction = transaction;
            create.CommandText = Create;
            create.ExecuteNonQuery();
            // Another process may have created the schema between our check and our lock.
            create.CommandText = "INSERT INTO run_schema (version) SELECT $version WHERE NOT EXISTS (SELECT 1 FROM run_schema)";
            create.Parameters.AddWithValue("$version", Version);
            create.ExecuteNonQuery();
            transaction.Commit();
            version = ReadVersion(connection);
        }

        if (version is 1 or 2)
        {
            // Versions 2 and 3 only add a table each. Done under the write lock; a second process doing
            // the same finds the tables there and the version already moved.
            using var transaction = connection.BeginTransaction();
            using var migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = StartedTries + SharedEnvironments + "UPDATE run_schema SET version = $version WHERE version IN (1, 2);";
            migrate.Parameters.AddWithValue("$version", Version);
            migrate.ExecuteNonQuery();
            transaction.Commit();
            version = ReadVersion(connection);
        }

        if (version != Version)
        {
            throw new StoreUnavailableException(
                $"The run store '{databasePath}' has schema version {version}; this build reads version {Version}.",
                databasePath,
                version > Version ? StoreFailure.NewerSchema : StoreFailure.Corrupt);
        }
    }

    private static int? ReadVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'run_schema'";
        if (command.ExecuteScalar() is null)
        {
            return null;
        }

        command.CommandText = "SELECT version FROM run_schema LIMIT 1";
        return command.ExecuteScalar() is long version ? (int)version : null;
    }
}
