using BatchOrchestrator.Engine.Stores;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Common.Sqlite;

/// <summary>Turns SQLite's error codes into a <see cref="StoreFailure"/> a host words for the user, and a message that names the file.</summary>
internal static class SqliteErrors
{
    // SQLite's primary result codes (sqlite3.h).
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoError = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int NotADatabase = 26;

    /// <summary><paramref name="e"/>, met doing <paramref name="operation"/> (as in "Cannot open ...") on the database at <paramref name="path"/>.</summary>
    public static SqliteFault Explain(SqliteException e, string path, string operation)
    {
        var failure = Classify(e);
        // SQLite says only "cannot open" or "I/O error" when a folder stands where it opens the database or the files beside it.
        if (failure is StoreFailure.CannotOpen or StoreFailure.IoError && FolderAt(path) is { } folder)
        {
            return new SqliteFault($"Cannot {operation} in '{path}': '{folder}' is a folder, not a file.", folder, StoreFailure.WrongKind);
        }

        var what = failure switch
        {
            StoreFailure.ReadOnly => "the database file (or its directory) is read-only: SQLite writes it and its -wal/-shm files beside it",
            StoreFailure.Corrupt => "the file is not a SQLite database or is corrupt",
            StoreFailure.Full => "the database or the disk is full",
            StoreFailure.InUse => "the database is locked by another process",
            StoreFailure.CannotOpen => "the database file cannot be opened (missing directory or no permission)",
            StoreFailure.IoError => "the disk reported an I/O error",
            _ => $"SQLite error {e.SqliteErrorCode}",
        };
        return new SqliteFault($"Cannot {operation} in '{path}': {what}. ({e.Message.Trim()})", path, failure);
    }

    /// <summary>What a user does about SQLite's error: its primary code (the low byte of an extended one) decides.</summary>
    public static StoreFailure Classify(SqliteException e) => (e.SqliteErrorCode & 0xff) switch
    {
        Busy or Locked => StoreFailure.InUse,
        ReadOnly => StoreFailure.ReadOnly,
        Corrupt or NotADatabase => StoreFailure.Corrupt,
        Full => StoreFailure.Full,
        CantOpen => StoreFailure.CannotOpen,
        IoError => StoreFailure.IoError,
        _ => StoreFailure.Unusable,
    };

    /// <summary>The database's path, or one of the files SQLite keeps beside it, where a folder stands; null when none.</summary>
    private static string? FolderAt(string path) => new[] { path, path + "-wal", path + "-shm", path + "-journal" }.FirstOrDefault(Directory.Exists);
}
