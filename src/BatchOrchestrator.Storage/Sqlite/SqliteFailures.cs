using BatchOrchestrator.Engine.Stores;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>A SQLite error met while opening a store's file, as the <see cref="StoreFailure"/> a host words for the user.</summary>
internal static class SqliteFailures
{
    public static StoreUnavailableException Opening(SqliteException e, string path)
    {
        // SQLite's primary result codes (the low byte of an extended one).
        var failure = (e.SqliteErrorCode & 0xff) switch
        {
            5 or 6 => StoreFailure.InUse, // BUSY, LOCKED
            8 => StoreFailure.ReadOnly,
            10 => StoreFailure.IoError,
            11 or 26 => StoreFailure.Corrupt, // CORRUPT, NOTADB
            13 => StoreFailure.Full,
            14 => StoreFailure.CannotOpen,
            _ => StoreFailure.Unusable,
        };
        // SQLite says only "cannot open" or "I/O error" when a folder stands where it opens the database or the files beside it.
        if (failure is StoreFailure.CannotOpen or StoreFailure.IoError
            && new[] { path, path + "-wal", path + "-shm", path + "-journal" }.FirstOrDefault(Directory.Exists) is { } folder)
        {
            return new StoreUnavailableException($"Cannot open '{path}': '{folder}' is a folder, not a file.", folder, StoreFailure.WrongKind, e);
        }

        return new StoreUnavailableException($"Cannot open '{path}': {e.Message.Trim()}", path, failure, e);
    }
}
