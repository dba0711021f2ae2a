using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Runtime.Tests.Support;

/// <summary>Reads a runtime's database from beside it, as another process would (its own connection, no pool).</summary>
internal static class DatabaseProbe
{
    public static async Task<long> CountAsync(string database, string sql, string? instanceId = null)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (instanceId is not null)
        {
            command.Parameters.AddWithValue("$id", instanceId);
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs <paramref name="sql"/> on the database while its runtime is stopped, as another version of the runtime would have written it.</summary>
    public static async Task RewriteAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
