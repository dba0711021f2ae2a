using BatchOrchestrator.Common.Sqlite;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Orchestration;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Runtime.Storage;

/// <summary>
/// The runtime's durable state in one SQLite database (WAL). Each public method is one
/// transaction: it either commits entirely or leaves the database as it was. Writes from this
/// process go through one connection, one at a time; reads use their own connections.
/// </summary>
internal sealed partial class SqliteStore : IAsyncDisposable
{
    // How long a write waits for another process's write before it fails as "locked by another process".
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private readonly SqliteStoreOptions _options;
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    // Statements of the dispatch path on the writer connection, parsed once and reused under
    // writeGate: SQLite would otherwise parse and plan each of them again in every turn.
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);
    private readonly PayloadStore _payloads = new();
    private long _commits;

    private SqliteStore(SqliteStoreOptions options, string connectionString, SqliteConnection writer)
    {
        _options = options;
        _connectionString = connectionString;
        _writer = writer;

        // Counted by SQLite itself, so a statement run outside WriteAsync's transactions counts too.
        SQLitePCL.raw.sqlite3_commit_hook(writer.Handle, CountCommit, this);
    }

    public string Path => _options.Path;

    /// <summary>Transactions committed on this store's connection since it was opened (SQLite's commit hook).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    private static int CountCommit(object store)
    {
        Interlocked.Increment(ref ((SqliteStore)store)._commits);
        return 0; // 0 lets the commit go on
    }

    /// <summary>Opens (and creates or migrates) the database.</summary>
    public static async Task<SqliteStore> OpenAsync(SqliteStoreOptions options, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(options);
        var full = SqliteFile.Prepare(options.Path);
        var connectionString = SqliteFile.ConnectionString(full, pooling: true, BusyTimeout);
        try
        {
            var writer = await SqliteFile.OpenAsync(connectionString, writer => SetUp(writer, options, full), cancellation);
            return new SqliteStore(options with { Path = full }, connectionString, writer);
        }
        catch (SqliteException e)
        {
            throw StoreErrors.Explain(e, full, "open the runtime database");
        }
    }

    private static void SetUp(SqliteConnection writer, SqliteStoreOptions options, string path)
    {
        writer.KeepWalOnClose();
        writer.EnterWal(options.SynchronousFull, BusyTimeout);
        if (options.MaxDatabaseBytes is { } quota)
        {
            var pageSize = Convert.ToInt64(writer.Command("PRAGMA page_size").ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            writer.Execute(null, $"PRAGMA max_page_count={Math.Max(1, quota / pageSize)}");
        }

        using (var check = writer.Command("PRAGMA quick_check"))
        {
            var verdict = check.ExecuteScalar() as string;
            if (verdict != "ok")
            {
                throw new DurableStoreException($"The database '{path}' is corrupt: {verdict}", path, StoreFailure.Corrupt);
            }
        }

        EnsureSchema(writer, path);
    }

    /// <summary>
    /// Creates the tables in one transaction on a new database; on an existing one only checks the
    /// version and that the file can be written — the tables are not created again on every start —
    /// or migrates one of a previous version, in the same transaction.
    /// </summary>
    private static void EnsureSchema(SqliteConnection writer, string path)
    {
        using var transaction = writer.BeginTransaction();
        var exists = writer.Command("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_info'", transaction).ExecuteScalar() is not null;
        var version = exists ? writer.Command("SELECT version FROM schema_info", transaction).ExecuteScalar() : null;
        var from = version is null ? (int?)null : Convert.ToInt32(version, System.Globalization.CultureInfo.InvariantCulture);
        if (from is null)
        {
            writer.Execute(transaction, Schema.Create);
            writer.Execute(transaction, "INSERT INTO schema_info (version) SELECT $v WHERE NOT EXISTS (SELECT 1 FROM schema_info)", ("$v", Schema.Version));
        }
        else if (from is >= 1 and < Schema.Version)
        {
            // Each step brings the file one version on, all in this one transaction.
            if (from == 1)
            {
                writer.Execute(transaction, Schema.MigrateFrom1);
            }

            if (from <= 2)
            {
                writer.Execute(transaction, Schema.MigrateFrom2);
            }

            writer.Execute(transaction, Schema.MigrateFrom3);
        }
        else if (from > Schema.Version)
        {
            // Read as this version's tables, its rows would be misread or, once written, spoilt for the version that made it.
            throw new DurableStoreException(
                $"The database '{path}' has schema version {from}, written by a newer version of the runtime; this one reads versions up to {Schema.Version}. " +
                "Open it with that newer version.",
                path,
                StoreFailure.NewerSchema);
        }
        else if (from != Schema.Version)
        {
            throw new DurableStoreException($"The database '{path}' has schema version {version}, which no version of the runtime wrote; this one reads versions 1 to {Schema.Version}.", path, StoreFailure.Corrupt);
        }
        else
        {
            // A read-only file opens fine and fails only at the first write: find out now.
            writer.Execute(transaction, "UPDATE schema_info SET version = version");
        }

        transaction.Commit();
    }

    /// <summary>Runs <paramref name="body"/> in one write transaction; rolls back on any failure.</summary>
    private async Task<T> WriteAsync<T>(string operation, Func<SqliteTransaction, T> body, CancellationToken cancellation)
    {
        await _writeGate.WaitAsync(cancellation);
        try
        {
            cancellation.ThrowIfCancellationRequested();
            using var transaction = _writer.BeginTransaction();
            try
            {
                var result = body(transaction);
                transaction.Commit();
                return result;
            }
            catch
            {
                SafeRollback(transaction);
                throw;
            }
        }
        catch (SqliteException e)
        {
            throw StoreErrors.Explain(e, _options.Path, operation);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private static void SafeRollback(SqliteTransaction transaction)
    {
        try
        {
            transaction.Rollback();
        }
        catch (SqliteException)
        {
            // SQLite may already have rolled back (e.g. on SQLITE_FULL); nothing is half-written either way.
        }
        catch (InvalidOperationException)
        {
            // The transaction already completed.
        }
    }

    /// <summary>A reusable command on the writer connection (call only under <see cref="_writeGate"/>; never dispose it).</summary>
    private SqliteCommand Prepared(string sql, SqliteTransaction? transaction)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = _writer.Command(sql);
            _prepared.Add(sql, command);
        }

        command.Transaction = transaction;
        return command;
    }

    /// <summary>
    /// Reads on the writer connection, one at a time with the writes: no pooled connection to
    /// open and its statements already prepared. Sees everything committed, by any process.
    /// </summary>
    private async Task<T> ReadOnWriterAsync<T>(string operation, Func<T> body, CancellationToken cancellation)
    {
        await _writeGate.WaitAsync(cancellation);
        try
        {
            cancellation.ThrowIfCancellationRequested();
            return body();
        }
        catch (SqliteException e)
        {
            throw StoreErrors.Explain(e, _options.Path, operation);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task<T> ReadAsync<T>(string operation, Func<SqliteConnection, T> body, CancellationToken cancellation)
    {
        try
        {
            await using var connection = await SqliteFile.OpenAsync(_connectionString, KeptWal.KeepWalOnClose, cancellation);
            return body(connection);
        }
        catch (SqliteException e)
        {
            throw StoreErrors.Explain(e, _options.Path, operation);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writeGate.WaitAsync();
        try
        {
            foreach (var command in _prepared.Values)
            {
                command.Dispose();
            }

            _prepared.Clear();
            await _writer.DisposeAsync();
            KeptWal.CloseAndSync(_connectionString, _options.Path);
        }
        finally
        {
            _writeGate.Release();
            _writeGate.Dispose();
        }
    }

    private static long Ticks(DateTime time) => time.ToUniversalTime().Ticks;

    private static readonly string InstanceColumns =
        "instance_id, execution_id, name, status, input, output, custom_status, failure, created_at, updated_at, completed_at, parent_instance_id, parent_execution_id, parent_task_id, history_count";

    private static InstanceRecord ReadInstance(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), (OrchestrationRuntimeStatus)r.GetInt32(3), SqliteCommands.Utc(r.GetInt64(8)), SqliteCommands.Utc(r.GetInt64(9)))
        {
            Input = r.NullableString(4),
            Output = r.NullableString(5),
            CustomStatus = r.NullableString(6),
            Failure = EventSerializer.ReadFailure(r.NullableString(7)),
            CompletedAt = r.IsDBNull(10) ? null : SqliteCommands.Utc(r.GetInt64(10)),
            ParentInstanceId = r.NullableString(11),
            ParentExecutionId = r.NullableString(12),
            ParentTaskId = r.GetInt32(13),
            HistoryCount = r.GetInt32(14),
        };

    private static InstanceRecord? FindInstance(SqliteConnection connection, SqliteTransaction? transaction, string instanceId)
    {
        using var command = connection.Command($"SELECT {InstanceColumns} FROM instances WHERE instance_id = $id", transaction).With("$id", instanceId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadInstance(reader) : null;
    }

    private static void InsertInstance(SqliteConnection connection, SqliteTransaction transaction, InstanceRecord i, bool orIgnore, out bool inserted)
    {
        var verb = orIgnore ? "INSERT OR IGNORE" : "INSERT";
        inserted = connection.Execute(
            transaction,
            $"{verb} INTO instances ({InstanceColumns}) VALUES ($id, $exec, $name, $status, $input, $output, $custom, $failure, $created, $updated, $completed, $parent, $parentExec, $parentTask, $count)",
            ("$id", i.InstanceId), ("$exec", i.ExecutionId), ("$name", i.Name), ("$status", (int)i.Status),
            ("$input", i.Input), ("$output", i.Output), ("$custom", i.CustomStatus), ("$failure", EventSerializer.Write(i.Failure)),
            ("$created", Ticks(i.CreatedAt)), ("$updated", Ticks(i.UpdatedAt)), ("$completed", i.CompletedAt is { } c ? Ticks(c) : null),
            ("$parent", i.ParentInstanceId), ("$parentExec", i.ParentExecutionId), ("$parentTask", i.ParentTaskId), ("$count", i.HistoryCount)) == 1;
    }

    private long InsertMessage(SqliteTransaction transaction, OutgoingMessage m) =>
        (long)Prepared("INSERT INTO orchestration_queue (instance_id, execution_id, visible_at, event) VALUES ($id, $exec, $visible, $event) RETURNING id", transaction)
            .Bind("$id", m.InstanceId).Bind("$exec", m.ExecutionId).Bind("$visible", Ticks(m.VisibleAt)).Bind("$event", EventSerializer.Write(_payloads.Externalize(_writer, transaction, m.Event)))
            .ExecuteScalar()!;
}
