using BatchOrchestrator.Engine.Json;
using System.Text.Json;
using BatchOrchestrator.Engine.Scheduling;
using BatchOrchestrator.Engine.Stores;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>
/// The schedule store on its own SQLite file (WAL, <c>schedules.db</c> in the state folder). One
/// connection serves this process, one operation at a time (a tick writes a few rows a minute);
/// other processes on the same file wait on the busy timeout. Each write is one statement whose
/// <c>WHERE version = …</c> (or <c>ON CONFLICT DO NOTHING</c> for a new row) makes it a
/// compare-and-set, atomic in SQLite whatever process runs it.
/// </summary>
public sealed class SqliteScheduleStore : IScheduleStore, IAsyncDisposable
{
    private const string StateColumns = "project, workflow, enabled, fingerprint, handled_through, last_session_time, updated_at, version";
    private const string BackfillColumns = "project, workflow, name, revision, session_times, started, current_attempt_id, created_at, finished_at, version";
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteScheduleStore(SqliteConnection connection)
    {
        _connection = connection;
    }

    /// <summary>Opens (creating if needed) the schedule store at <paramref name="databasePath"/>.</summary>
    public static async Task<SqliteScheduleStore> OpenAsync(string databasePath, CancellationToken cancellationToken) =>
        new(await SqliteWalFile.OpenAsync(databasePath, BusyTimeout, ScheduleSchema.Create, cancellationToken));

    public Task<IReadOnlyList<ScheduleState>> ListAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {StateColumns} FROM schedule_states ORDER BY project, workflow", [], ReadState, cancellationToken);

    public async Task<ScheduleState?> GetAsync(string project, string workflow, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            $"SELECT {StateColumns} FROM schedule_states WHERE project = $project AND workflow = $workflow",
            [("$project", project), ("$workflow", workflow)],
            ReadState,
            cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<ScheduleState?> TryWriteAsync(ScheduleState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var sql = state.Version == 0
            ? $"INSERT INTO schedule_states ({StateColumns}) VALUES ($project, $workflow, $enabled, $fingerprint, $handled, $last, $updated, 1) ON CONFLICT DO NOTHING"
            : """
              UPDATE schedule_states SET enabled = $enabled, fingerprint = $fingerprint, handled_through = $handled,
                  last_session_time = $last, updated_at = $updated, version = version + 1
              WHERE project = $project AND workflow = $workflow AND version = $version
              """;
        var written = await ExecuteAsync(
            sql,
            [
                ("$project", state.Project), ("$workflow", state.Workflow), ("$enabled", state.Enabled ? 1 : 0),
                ("$fingerprint", state.Fingerprint), ("$handled", StoredValues.Time(state.HandledThrough)),
                ("$last", StoredValues.Time(state.LastSessionTime)), ("$updated", StoredValues.Time(state.UpdatedAt)), ("$version", state.Version),
            ],
            cancellationToken);
        return written == 1 ? state with { Version = state.Version + 1 } : null;
    }

    public Task<IReadOnlyList<BackfillState>> ListBackfillsAsync(bool activeOnly, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT {BackfillColumns} FROM schedule_backfills{(activeOnly ? " WHERE finished_at IS NULL" : "")} ORDER BY created_at, rowid",
            [],
            ReadBackfill,
            cancellationToken);

    public async Task<BackfillState?> GetBackfillAsync(string project, string workflow, string name, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            $"SELECT {BackfillColumns} FROM schedule_backfills WHERE project = $project AND workflow = $workflow AND name = $name",
            [("$project", project), ("$workflow", workflow), ("$name", name)],
            ReadBackfill,
            cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<BackfillState?> TryWriteBackfillAsync(BackfillState backfill, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backfill);
        var sql = backfill.Version == 0
            ? $"INSERT INTO schedule_backfills ({BackfillColumns}) VALUES ($project, $workflow, $name, $revision, $times, $started, $current, $created, $finished, 1) ON CONFLICT DO NOTHING"
            : """
              UPDATE schedule_backfills SET started = $started, current_attempt_id = $current, finished_at = $finished, version = version + 1
              WHERE project = $project AND workflow = $workflow AND name = $name AND version = $version
              """;
        var written = await ExecuteAsync(
            sql,
            [
                ("$project", backfill.Project), ("$workflow", backfill.Workflow), ("$name", backfill.Name), ("$revision", backfill.Revision),
                ("$times", JsonSerializer.Serialize(backfill.SessionTimes.Select(t => (string)StoredValues.Time(t)).ToArray(), ValuesJsonContext.Default.StringArray)),
                ("$started", backfill.Started), ("$current", StoredValues.Text(backfill.CurrentAttemptId)),
                ("$created", StoredValues.Time(backfill.CreatedAt)), ("$finished", StoredValues.Time(backfill.FinishedAt)), ("$version", backfill.Version),
            ],
            cancellationToken);
        return written == 1 ? backfill with { Version = backfill.Version + 1 } : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _gate.Dispose();
    }

    private static ScheduleState ReadState(SqliteDataReader row) => new()
    {
        Project = row.GetString(0),
        Workflow = row.GetString(1),
        Enabled = row.GetInt64(2) != 0,
        Fingerprint = row.GetString(3),
        HandledThrough = StoredValues.ReadTime(row.GetString(4)),
        LastSessionTime = row.IsDBNull(5) ? null : StoredValues.ReadTime(row.GetString(5)),
        UpdatedAt = StoredValues.ReadTime(row.GetString(6)),
        Version = row.GetInt64(7),
    };

    private static BackfillState ReadBackfill(SqliteDataReader row) => new()
    {
        Project = row.GetString(0),
        Workflow = row.GetString(1),
        Name = row.GetString(2),
        Revision = row.GetString(3),
        SessionTimes = (JsonSerializer.Deserialize(row.GetString(4), ValuesJsonContext.Default.StringArray) ?? []).Select(StoredValues.ReadTime).ToList(),
        Started = row.GetInt32(5),
        CurrentAttemptId = row.IsDBNull(6) ? null : row.GetString(6),
        CreatedAt = StoredValues.ReadTime(row.GetString(7)),
        FinishedAt = row.IsDBNull(8) ? null : StoredValues.ReadTime(row.GetString(8)),
        Version = row.GetInt64(9),
    };

    private async Task<int> ExecuteAsync(string sql, IEnumerable<(string Name, object Value)> parameters, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = Command(sql, parameters);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, IEnumerable<(string Name, object Value)> parameters, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = Command(sql, parameters);
            var results = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                results.Add(map(reader));
            }

            return results;
        }
        finally
        {
            _gate.Release();
        }
    }

    private SqliteCommand Command(string sql, IEnumerable<(string Name, object Value)> parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
