using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Common.Sqlite;

/// <summary>Where a store's database file is and how its connections to it open.</summary>
internal static class SqliteFile
{
    /// <summary>The full path of <paramref name="databasePath"/>, its folder created when missing (SQLite creates only the file).</summary>
    public static string Prepare(string databasePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        var fullPath = Path.GetFullPath(databasePath);
        if (Path.GetDirectoryName(fullPath) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        return fullPath;
    }

    /// <summary>Read-write, created when missing; commands wait <paramref name="busyTimeout"/> for a lock held by another process.</summary>
    public static string ConnectionString(string fullPath, bool pooling, TimeSpan busyTimeout) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = pooling,
            DefaultTimeout = (int)busyTimeout.TotalSeconds,
        }.ToString();

    /// <summary>
    /// A connection opened and set up by <paramref name="setUp"/> (pragmas, schema, checks); closed
    /// again when either throws, so a failed open leaves no handle on the file.
    /// </summary>
    public static async Task<SqliteConnection> OpenAsync(string connectionString, Action<SqliteConnection> setUp, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            setUp(connection);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
