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

    private readonly string _connectionString;
    private readonly SqliteWriter _writer;

    private SqliteRunStore(string connectionString, SqliteWriter writer)
    {
        _connectionString = connectionString;
        _writer = writer;
    }

    /// <summary>Opens (creating if needed) the run store at <paramref name="databasePath"/>.</summary>
    public static async Task<SqliteRunStore> OpenAsync(string databasePath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        var fullPath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();

        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            RunSchema.Configure(connection, BusyTimeout);
            RunSchema.Ensure(connection, fullPath);
            return new SqliteRunStore(connectionString, new SqliteWriter(connection));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
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
        return _writer.WriteAsync(
            (commands, transaction) =>
            {
                var written = 0;
                foreach (var record in records)
                {
                    written += commands.Tasks.Execute(record, transaction) ? 1 : 0;
                }

                return written;
            },
            cancellationToken);
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

    public Task<IReadOnlyList<TaskRecord>> GetTasksAsync(string attemptId, CancellationToken cancellationToken) =>
        QueryAsync(
            RecordReaders.TaskSelect + " WHERE attempt_id = $id ORDER BY seq",
            [("$id", attemptId)],
            RecordReaders.Task,
            cancellationToken);

    public Task<int> UpsertStartedTryAsync(StartedTry started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(started);
        return _writer.WriteAsync(
            (_, transaction) =>
            {
                // The launch stored before this write, read in the same transaction: the same one means a launch delivered again.
                using var read = transaction.Connection!.CreateCommand();
                read.Transaction = transaction;
                read.CommandText = "SELECT json_extract(body, '$.launch'), json_extract(body, '$.deliveries') FROM run_started_tries WHERE attempt_id = $attempt_id AND task_name = $task_name AND try = $try";
                read.Parameters.AddWithValue("$attempt_id", started.AttemptId);
                read.Parameters.AddWithValue("$task_name", started.TaskName);
                read.Parameters.AddWithValue("$try", started.Try);
                var earlier = 0;
                using (var stored = read.ExecuteReader())
                {
                    if (started.Command is null && started.Launch is not null && stored.Read() && !stored.IsDBNull(0) && stored.GetString(0) == started.Launch)
                    {
                        // A mark written before deliveries were counted stands for one.
                        earlier = stored.IsDBNull(1) ? 1 : stored.GetInt32(1);
                    }
                }

                var write = started.Command is null ? started with { Deliveries = earlier + 1 } : started;

                using var command = transaction.Connection!.CreateCommand();
                command.Transaction = transaction;
                // A write without the command's state never replaces one with it of the same launch (delivered again): it only counts the delivery.
                command.CommandText = """
                    INSERT INTO run_started_tries (attempt_id, task_name, try, launched, body)
                    VALUES ($attempt_id, $task_name, $try, $launched, $body)
                    ON CONFLICT (attempt_id, task_name, try) DO UPDATE SET launched = excluded.launched, body = excluded.body
                    WHERE excluded.launched = 1 OR run_started_tries.launched = 0
                        OR json_extract(run_started_tries.body, '$.launch') IS NOT json_extract(excluded.body, '$.launch')
                    """;
                command.Parameters.AddWithValue("$attempt_id", started.AttemptId);
                command.Parameters.AddWithValue("$task_name", started.TaskName);
                command.Parameters.AddWithValue("$try", started.Try);
                command.Parameters.AddWithValue("$launched", started.Command is null ? 0 : 1);
                command.Parameters.AddWithValue("$body", System.Text.Json.JsonSerializer.Serialize(write, StartedTryJson));
                if (command.ExecuteNonQuery() == 0)
                {
                    command.CommandText = "UPDATE run_started_tries SET body = json_set(body, '$.deliveries', $deliveries) WHERE attempt_id = $attempt_id AND task_name = $task_name AND try = $try";
                    command.Parameters.AddWithValue("$deliveries", write.Deliveries);
                    command.ExecuteNonQuery();
                }

                return earlier;
            },
            cancellationToken);
    }

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

    /// <summary>Reads on a pooled connection of its own, so reads never wait behind the writer (WAL).</summary>
    private async Task<IReadOnlyList<T>> QueryAsync<T>(
        string sql, IEnumerable<(string Name, object? Value)> parameters, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            // Every lookup is by a caller's id; a null one is a bug in the caller, not "not found".
            ArgumentNullException.ThrowIfNull(value, name.TrimStart('$'));
            command.Parameters.AddWithValue(name, value);
        }

        var results = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(map(reader));
        }

        return results;
    }

    private static long ParseToken(string token) =>
        long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) && seq > 0
            ? seq
            : throw new ArgumentException($"'{token}' is not a continuation token of this store.", nameof(token));

    /// <summary>Finishes every queued write, then closes; pooled read connections of this file are released.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        using var pooled = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(pooled);
    }
}

/// <summary>A started try's row (enums as numbers, as it was always written), described at compile time for Native AOT.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(StartedTry))]
internal sealed partial class StartedTryJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
