using BatchOrchestrator.Common.Sqlite;
using BatchOrchestrator.Engine.Json;
using System.Globalization;
using BatchOrchestrator.Engine.Stores;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>
/// The run store on one SQLite file (WAL). Safe for many concurrent writers in one process (they
/// share one writer connection with group commit, see <see cref="SqliteWriter"/>), for other
/// processes writing the same file (they wait on the busy timeout), and for readers in other
/// processes while it writes (<c>bo tasks</c> during <c>bo run</c>): a reader sees every write
/// that completed before it started, and a multi-record write all or not at all. The schema is
/// created on first open and versioned.
/// </summary>
public sealed class SqliteRunStore : IRunStore, IAsyncDisposable
{
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private readonly string _databasePath;
    private readonly string _connectionString;
    private readonly SqliteWriter _writer;
    private readonly SqliteReaders _readers;

    private SqliteRunStore(string databasePath, string connectionString, SqliteWriter writer, bool listStatements)
    {
        _databasePath = databasePath;
        _connectionString = connectionString;
        _writer = writer;
        _readers = new SqliteReaders(connectionString, listStatements);
    }

    /// <summary>Opens (creating if needed) the run store at <paramref name="databasePath"/>.</summary>
    public static Task<SqliteRunStore> OpenAsync(string databasePath, CancellationToken cancellationToken) =>
        OpenAsync(databasePath, listStatements: false, cancellationToken);

    /// <param name="databasePath">The database file.</param>
    /// <param name="listStatements">Lets <see cref="StatementsAsync"/> list the statements each connection holds (SQLite keeps a list for it).</param>
    /// <param name="cancellationToken">Stops the open.</param>
    internal static async Task<SqliteRunStore> OpenAsync(string databasePath, bool listStatements, CancellationToken cancellationToken)
    {
        var fullPath = SqliteFile.Prepare(databasePath);
        var connectionString = SqliteFile.ConnectionString(fullPath, pooling: true, BusyTimeout);
        try
        {
            var connection = await SqliteFile.OpenAsync(connectionString, connection =>
            {
                StatementRuns.Listed(connection, listStatements);
                connection.KeepWalOnClose();
                connection.EnterWal(synchronousFull: false, BusyTimeout);
                RunSchema.Ensure(connection, fullPath);
            }, cancellationToken);
            return new SqliteRunStore(fullPath, connectionString, new SqliteWriter(connection), listStatements);
        }
        catch (SqliteException e)
        {
            throw SqliteFailures.Opening(e, fullPath);
        }
    }

    public Task<SessionRecord> UpsertSessionAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return _writer.WriteAsync((commands, transaction) => commands.Attempts.UpsertSession(session, transaction), cancellationToken);
    }

    public Task<AttemptRecord> UpsertAttemptAsync(AttemptRecord attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return _writer.WriteAsync((commands, transaction) => commands.Attempts.UpsertAttempt(attempt, transaction), cancellationToken);
    }

    public Task UpsertTaskAsync(TaskRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _writer.WriteAsync((commands, transaction) => commands.Tasks.Execute(record, transaction), cancellationToken);
    }

    public Task UpsertTasksAsync(IReadOnlyCollection<TaskRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        return _writer.WriteAsync((commands, transaction) => WriteTasks(commands, records, transaction), cancellationToken);
    }

    private static int WriteTasks(WriteCommands commands, IReadOnlyCollection<TaskRecord> records, SqliteTransaction transaction)
    {
        var written = 0;
        foreach (var record in records)
        {
            written += commands.Tasks.Execute(record, transaction) ? 1 : 0;
        }

        return written;
    }

    public async Task<RecordPage<SessionRecord>> ListSessionsAsync(SessionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        var (conditions, parameters) = OfSessions(query.Project, query.Workflow);

        if (query.ContinuationToken is not null)
        {
            conditions.Add("s.seq < $before");
            parameters.Add(("$before", ParseToken(query.ContinuationToken)));
        }

        var where = conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);
        return await PageAsync(RecordReaders.SessionSelect + where + " ORDER BY s.seq DESC", parameters, RecordReaders.Session, 5, query.PageSize, cancellationToken);
    }

    /// <summary>One indexed page: the attempts' row numbers are their order, and the continuation is the last one's.</summary>
    public async Task<RecordPage<AttemptRecord>> ListAttemptsAsync(AttemptQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        var (conditions, parameters) = OfSessions(query.Project, query.Workflow);

        if (query.Status is { } status)
        {
            conditions.Add("a.status = $status");
            parameters.Add(("$status", StoredValues.Name(status)));
        }

        if (query.ContinuationToken is not null)
        {
            conditions.Add("a.seq < $before");
            parameters.Add(("$before", ParseToken(query.ContinuationToken)));
        }

        var where = conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);
        return await PageAsync(RecordReaders.AttemptPageSelect + where + " ORDER BY a.seq DESC", parameters, RecordReaders.Attempt, 12, query.PageSize, cancellationToken);
    }

    /// <summary>The conditions (on the sessions table, <c>s</c>) of a listing of one project's or workflow's records.</summary>
    private static (List<string> Conditions, List<(string, object?)> Parameters) OfSessions(string? project, string? workflow)
    {
        var conditions = new List<string>();
        var parameters = new List<(string, object?)>();
        if (project is not null)
        {
            conditions.Add("s.project = $project");
            parameters.Add(("$project", project));
        }

        if (workflow is not null)
        {
            conditions.Add("s.workflow = $workflow");
            parameters.Add(("$workflow", workflow));
        }

        return (conditions, parameters);
    }

    /// <summary>
    /// Runs <paramref name="sql"/> (ordered by row number, newest first) for one page and one row
    /// more, which tells whether another page follows; the token is the page's last row number.
    /// </summary>
    private async Task<RecordPage<T>> PageAsync<T>(string sql, List<(string, object?)> parameters, Func<SqliteDataReader, T> read, int seqColumn, int pageSize, CancellationToken cancellationToken)
    {
        parameters.Add(("$limit", pageSize + 1));
        var rows = await QueryAsync(sql + " LIMIT $limit", parameters, row => (Record: read(row), Seq: row.GetInt64(seqColumn)), cancellationToken);
        if (rows.Count <= pageSize)
        {
            return new RecordPage<T>([.. rows.Select(row => row.Record)], null);
        }

        var page = rows.Take(pageSize).ToList();
        return new RecordPage<T>([.. page.Select(row => row.Record)], page[^1].Seq.ToString(CultureInfo.InvariantCulture));
    }

    public async Task<SessionRecord?> GetSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            RecordReaders.SessionSelect + " WHERE s.session_id = $id", [("$id", sessionId)], RecordReaders.Session, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string sessionId, CancellationToken cancellationToken) =>
        QueryAsync(
            RecordReaders.AttemptSelect + " WHERE a.session_id = $id ORDER BY a.attempt_index",
            [("$id", sessionId)],
            RecordReaders.Attempt,
            cancellationToken);

    public async Task<AttemptRecord?> GetLatestAttemptAsync(string sessionId, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            RecordReaders.AttemptSelect + " WHERE a.session_id = $id ORDER BY a.attempt_index DESC LIMIT 1",
            [("$id", sessionId)],
            RecordReaders.Attempt,
            cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<AttemptRecord?> GetAttemptAsync(string attemptId, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            RecordReaders.AttemptSelect + " WHERE a.attempt_id = $id", [("$id", attemptId)], RecordReaders.Attempt, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<AttemptStatus?> GetAttemptStatusAsync(string attemptId, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            AttemptStatusQuery.Sql,
            [("$id", attemptId)],
            row => StoredValues.ReadAttemptStatus(row.GetString(0)),
            cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<IReadOnlyList<TaskRecord>> GetTasksAsync(string attemptId, CancellationToken cancellationToken) =>
        QueryAsync(
            RecordReaders.TaskSelect + " WHERE attempt_id = $id ORDER BY seq",
            [("$id", attemptId)],
            RecordReaders.Task,
            cancellationToken);

    public Task<int> UpsertStartedTryAsync(StartedTry started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(started);
        return _writer.WriteAsync((commands, transaction) => WriteStartedTry(commands, started, transaction), cancellationToken);
    }

    /// <summary>
    /// The records, the mark and the attempt's status read after them, in one transaction: one commit
    /// before the command starts and no read of its own (the writer holds the database's write lock,
    /// so a kill's status is either committed before it, and read here, or after it, and its read of
    /// the started tries finds the mark).
    /// </summary>
    public Task<LaunchMark> MarkLaunchAsync(StartedTry started, IReadOnlyCollection<TaskRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(started);
        ArgumentNullException.ThrowIfNull(records);
        return _writer.WriteAsync(
            (commands, transaction) =>
            {
                WriteTasks(commands, records, transaction);
                var earlier = WriteStartedTry(commands, started, transaction);
                return new LaunchMark(earlier, commands.AttemptStatus.Read(started.AttemptId, transaction));
            },
            cancellationToken);
    }

    private static int WriteStartedTry(WriteCommands commands, StartedTry started, SqliteTransaction transaction) =>
        commands.StartedTries.Execute(started, write => System.Text.Json.JsonSerializer.Serialize(write, StartedTryJson), transaction);

    public Task<IReadOnlyList<StartedTry>> GetStartedTriesAsync(string attemptId, CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT body FROM run_started_tries WHERE attempt_id = $id",
            [("$id", attemptId)],
            row => System.Text.Json.JsonSerializer.Deserialize(row.GetString(0), StartedTryJson)!,
            cancellationToken);

    public Task SaveSharedEnvironmentAsync(string attemptId, string key, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
    {
        var body = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>(variables, StringComparer.Ordinal), VariablesJson);
        return _writer.WriteAsync(
            (_, transaction) =>
            {
                using var command = transaction.Connection!.CreateCommand();
                command.Transaction = transaction;
                // The key is a digest of the content: one already there holds the same variables.
                command.CommandText = "INSERT INTO run_shared_environments (key, attempt_id, body) VALUES ($key, $attempt_id, $body) ON CONFLICT (key) DO NOTHING";
                command.Parameters.AddWithValue("$key", key);
                command.Parameters.AddWithValue("$attempt_id", attemptId);
                command.Parameters.AddWithValue("$body", body);
                return command.ExecuteNonQuery();
            },
            cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, string>?> GetSharedEnvironmentAsync(string key, CancellationToken cancellationToken) =>
        (await QueryAsync(
            "SELECT body FROM run_shared_environments WHERE key = $key",
            [("$key", key)],
            row => System.Text.Json.JsonSerializer.Deserialize(row.GetString(0), VariablesJson)!,
            cancellationToken)).FirstOrDefault();

    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<Dictionary<string, string>> VariablesJson =
        BatchOrchestrator.Engine.Json.ValuesJsonContext.Default.DictionaryStringString;

    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<StartedTry> StartedTryJson =
        new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { TypeInfoResolver = StartedTryJsonContext.Default }.TypeInfo<StartedTry>();

    private Task<IReadOnlyList<T>> QueryAsync<T>(
        string sql, IEnumerable<(string Name, object? Value)> parameters, Func<SqliteDataReader, T> map, CancellationToken cancellationToken) =>
        _readers.QueryAsync(sql, parameters, map, cancellationToken);

    /// <summary>
    /// The statements the writer and the idle readers hold prepared, and how often each ran: a
    /// statement run for every record is prepared once (see <see cref="SqliteReaders"/>).
    /// </summary>
    internal async Task<IReadOnlyList<StatementRuns>> StatementsAsync(CancellationToken cancellationToken)
    {
        // Read on the writer's loop, between its batches: the connection is used by one thread at a time.
        var written = await _writer.WriteAsync((_, transaction) => StatementRuns.Of(transaction.Connection!).ToList(), cancellationToken);
        return [.. written, .. _readers.Statements()];
    }

    private static long ParseToken(string token) =>
        long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) && seq > 0
            ? seq
            : throw new ArgumentException($"'{token}' is not a continuation token of this store.", nameof(token));

    /// <summary>
    /// Finishes every queued write, then closes; pooled read connections of this file are released
    /// and the WAL, which stays beside the file, is synced (<see cref="KeptWal"/>).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _readers.DisposeAsync();
        KeptWal.CloseAndSync(_connectionString, _databasePath);
    }
}

/// <summary>A started try's row (enums as numbers, as it was always written), described at compile time for Native AOT.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(StartedTry))]
internal sealed partial class StartedTryJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
