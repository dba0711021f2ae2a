using BatchOrchestrator.Engine.Stores;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Runtime.Storage;

/// <summary>Turns SQLite's error codes into messages a user can act on.</summary>
internal static class StoreErrors
{
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoError = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int NotADatabase = 26;

    public static DurableStoreException Explain(SqliteException e, string path, string operation)
    {
        var what = e.SqliteErrorCode switch
        {
            ReadOnly => "the database file (or its directory) is read-only; the runtime needs to write it and its -wal/-shm files beside it",
            Corrupt or NotADatabase => "the file is not a SQLite database or is corrupt",
            Full => "the database or the disk is full",
            Busy or Locked => "the database is locked by another process",
            CantOpen => "the database file cannot be opened (missing directory or no permission)",
            IoError => "the disk reported an I/O error",
            _ => $"SQLite error {e.SqliteErrorCode}",
        };
        var failure = Classify(e);
        // SQLite says only "cannot open" or "I/O error" when a folder stands where it opens the database or the files beside it.
        if (failure is StoreFailure.CannotOpen or StoreFailure.IoError && FolderAt(path) is { } folder)
        {
            return new DurableStoreException($"Cannot {operation} in '{path}': '{folder}' is a folder, not a file.", folder, StoreFailure.WrongKind, e);
        }

        return new DurableStoreException($"Cannot {operation} in '{path}': {what}. ({e.Message.Trim()})", path, failure, e);
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
    public static string? FolderAt(string path) => new[] { path, path + "-wal", path + "-shm", path + "-journal" }.FirstOrDefault(Directory.Exists);
}
