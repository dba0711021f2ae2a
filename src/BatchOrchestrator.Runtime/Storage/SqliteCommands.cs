using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Runtime.Storage;

/// <summary>Small helpers that keep the SQL in <see cref="SqliteStore"/> readable.</summary>
internal static class SqliteCommands
{
    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static int Execute(this SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.Command(sql, transaction);
        foreach (var (name, value) in parameters)
        {
            command.With(name, value);
        }

        return command.ExecuteNonQuery();
    }

    /// <summary>Sets a parameter of a reused command, adding it on first use.</summary>
    public static SqliteCommand Bind(this SqliteCommand command, string name, object? value)
    {
        var parameters = command.Parameters;
        var index = parameters.IndexOf(name);
        if (index < 0)
        {
            parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        else
        {
            parameters[index].Value = value ?? DBNull.Value;
        }

        return command;
    }

    public static string? NullableString(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTime Utc(long ticks) => new(ticks, DateTimeKind.Utc);
}
