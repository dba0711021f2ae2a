using System.Globalization;
using System.Text.Json;
using BatchOrchestrator.Engine.Stores;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>
/// The param store on its own SQLite file (WAL, e.g. <c>params.db</c> in the state folder).
/// One connection serves this process, one operation at a time: params are read and written a
/// few times per workflow, far too rarely to need the run store's group commit. Other processes
/// on the same file wait on the busy timeout. Writes are upserts, so repeating one is harmless.
/// </summary>
public sealed class SqliteParamStore : IParamStore, IAsyncDisposable
{
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private readonly string _databasePath;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteConnection? _connection;

    private SqliteParamStore(string databasePath, SqliteConnection? connection)
    {
        _databasePath = databasePath;
        _connection = connection;
    }

    /// <summary>Opens (creating if needed) the param store at <paramref name="databasePath"/>.</summary>
    public static async Task<SqliteParamStore> OpenAsync(string databasePath, CancellationToken cancellationToken) =>
        new(databasePath, await SqliteWalFile.OpenAsync(databasePath, BusyTimeout, ParamSchema.Create, cancellationToken));

    /// <summary>
    /// The param store at <paramref name="databasePath"/>, opened (and created) by its first read
    /// or write. Most workflows never use <c>param_get&gt;</c> or <c>param_set&gt;</c>: a run of
    /// them neither creates the file nor pays for opening it.
    /// </summary>
    public static SqliteParamStore OnFirstUse(string databasePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        return new(databasePath, null);
    }

    /// <summary>
    /// The param store at <paramref name="databasePath"/> as a host opens it at start: when a file (or
    /// a folder) is there, opened now, so that one bo cannot use (not a database, cut short, a folder)
    /// is reported before anything runs, as the state folder's other databases are; when nothing is,
    /// opened by its first read or write (<see cref="OnFirstUse"/>), so a run that uses no params pays nothing.
    /// </summary>
    /// <exception cref="StoreUnavailableException">The file there cannot be used as the param store.</exception>
    public static async Task<SqliteParamStore> OpenIfPresentAsync(string databasePath, CancellationToken cancellationToken) =>
        File.Exists(databasePath) || Directory.Exists(databasePath) ? await OpenAsync(databasePath, cancellationToken) : OnFirstUse(databasePath);

    /// <summary>The connection, opened by the first caller; called under the gate.</summary>
    private async Task<SqliteConnection> ConnectionAsync(CancellationToken cancellationToken) =>
        _connection ??= await SqliteWalFile.OpenAsync(_databasePath, BusyTimeout, ParamSchema.Create, cancellationToken);

    public async Task<IReadOnlyDictionary<string, JsonElement>> GetAsync(string project, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = (await ConnectionAsync(cancellationToken)).CreateCommand();
            command.CommandText = "SELECT value FROM param_values WHERE project = $project AND key = $key";
            var key = command.Parameters.Add("$key", SqliteType.Text);
            command.Parameters.AddWithValue("$project", project);
            foreach (var name in keys.Distinct(StringComparer.Ordinal))
            {
                key.Value = name;
                if (await command.ExecuteScalarAsync(cancellationToken) is string json)
                {
                    found[name] = JsonElement.Parse(json);
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        return found;
    }

    public async Task SetAsync(string project, IReadOnlyDictionary<string, JsonElement> values, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        ArgumentNullException.ThrowIfNull(values);
        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // One transaction: a param_set> of several keys is seen whole or not at all.
            var connection = await ConnectionAsync(cancellationToken);
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO param_values (project, key, value, updated_at) VALUES ($project, $key, $value, $now)
                ON CONFLICT (project, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """;
            command.Parameters.AddWithValue("$project", project);
            command.Parameters.AddWithValue("$now", now);
            var key = command.Parameters.Add("$key", SqliteType.Text);
            var value = command.Parameters.Add("$value", SqliteType.Text);
            foreach (var (name, json) in values)
            {
                key.Value = name;
                value.Value = json.GetRawText();
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            transaction.Commit();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _gate.Dispose();
    }
}
