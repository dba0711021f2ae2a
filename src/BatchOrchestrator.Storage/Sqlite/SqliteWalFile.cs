using BatchOrchestrator.Engine.Stores;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>
/// One connection to a small store's own SQLite file (params, schedules): WAL, so readers in other
/// processes never wait for a writer, and a busy timeout, so writers in other processes wait for
/// each other instead of failing. The schema is created on open. A file SQLite cannot use is a
/// <see cref="StoreUnavailableException"/> naming it.
/// </summary>
internal static class SqliteWalFile
{
    public static async Task<SqliteConnection> OpenAsync(string databasePath, TimeSpan busyTimeout, string schema, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        var fullPath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)busyTimeout.TotalSeconds,
        }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            connection.EnterWal(busyTimeout);
            await using var command = connection.CreateCommand();
            command.CommandText = schema;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch (SqliteException e)
        {
            await connection.DisposeAsync();
            throw SqliteFailures.Opening(e, fullPath);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
