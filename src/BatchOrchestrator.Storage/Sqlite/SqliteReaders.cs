using BatchOrchestrator.Common.Sqlite;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>
/// The connections a store reads on, each keeping the statements it ran prepared: a pooled
/// connection of Microsoft.Data.Sqlite is reused, but a new <see cref="SqliteCommand"/> on it
/// parses and plans its SQL again, and a run reads the same few statements for every task (the
/// attempt's status before and after each launch). Reads never wait behind the writer (WAL); each
/// sees every write that completed before it started.
/// </summary>
internal sealed class SqliteReaders(string connectionString, bool listStatements = false) : IAsyncDisposable
{
    // Idle connections kept for the next reads; more readers at once open more, closed when returned.
    private const int MaxIdle = 4;

    // The statements of the store's lookups and listings; a connection that has prepared more starts over.
    private const int MaxStatements = 32;

    private readonly Lock _lock = new();
    private readonly Stack<Reader> _idle = new();
    private bool _disposed;

    /// <summary>Runs <paramref name="sql"/> with <paramref name="parameters"/> and maps every row.</summary>
    public async Task<IReadOnlyList<T>> QueryAsync<T>(
        string sql, IEnumerable<(string Name, object? Value)> parameters, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
    {
        var reader = await RentAsync(cancellationToken);
        try
        {
            var command = reader.Command(sql);
            command.Parameters.Clear();
            foreach (var (name, value) in parameters)
            {
                // Every lookup is by a caller's id; a null one is a bug in the caller, not "not found".
                ArgumentNullException.ThrowIfNull(value, name.TrimStart('$'));
                command.Parameters.AddWithValue(name, value);
            }

            var results = new List<T>();
            await using (var rows = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await rows.ReadAsync(cancellationToken))
                {
                    results.Add(map(rows));
                }
            }

            Return(reader);
            return results;
        }
        catch
        {
            // Whatever failed, the next read starts on a fresh connection.
            await reader.DisposeAsync();
            throw;
        }
    }

    private async Task<Reader> RentAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.TryPop(out var idle))
            {
                return idle;
            }
        }

        var connection = await SqliteFile.OpenAsync(connectionString, connection =>
        {
            // A reader closing last must not checkpoint: the WAL stays beside the file (KeptWal).
            connection.KeepWalOnClose();
            StatementRuns.Listed(connection, listStatements);
        }, cancellationToken);
        return new Reader(connection);
    }

    private void Return(Reader reader)
    {
        lock (_lock)
        {
            if (!_disposed && _idle.Count < MaxIdle)
            {
                _idle.Push(reader);
                return;
            }
        }

        reader.Dispose();
    }

    /// <summary>The statements prepared on the idle connections, with their runs.</summary>
    public IReadOnlyList<StatementRuns> Statements()
    {
        lock (_lock)
        {
            return [.. _idle.SelectMany(reader => StatementRuns.Of(reader.Connection))];
        }
    }

    /// <summary>Closes the idle connections; a read under way closes its own when it ends.</summary>
    public async ValueTask DisposeAsync()
    {
        Reader[] idle;
        lock (_lock)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }

        foreach (var reader in idle)
        {
            await reader.DisposeAsync();
        }
    }

    /// <summary>One connection and its prepared commands, used by one read at a time.</summary>
    private sealed class Reader(SqliteConnection connection) : IAsyncDisposable, IDisposable
    {
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        public SqliteConnection Connection => connection;

        public SqliteCommand Command(string sql)
        {
            if (_commands.TryGetValue(sql, out var command))
            {
                return command;
            }

            if (_commands.Count >= MaxStatements)
            {
                DisposeCommands();
            }

            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
            return command;
        }

        private void DisposeCommands()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            _commands.Clear();
        }

        public void Dispose()
        {
            DisposeCommands();
            connection.Dispose();
        }

        public async ValueTask DisposeAsync()
        {
            DisposeCommands();
            await connection.DisposeAsync();
        }
    }
}
