using BatchOrchestrator.Common.Sqlite;
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
        var fullPath = SqliteFile.Prepare(databasePath);
        try
        {
            return await SqliteFile.OpenAsync(SqliteFile.ConnectionString(fullPath, pooling: false, busyTimeout), connection =>
            {
                connection.EnterWal(synchronousFull: false, busyTimeout);
                using var command = connection.CreateCommand();
                command.CommandText = schema;
                command.ExecuteNonQuery();
            }, cancellationToken);
        }
        catch (SqliteException e)
        {
            throw SqliteFailures.Opening(e, fullPath);
        }
    }
}
