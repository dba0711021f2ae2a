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
        var failure = e.SqliteErrorCode is Busy or Locked ? DurableStoreFailure.InUse : DurableStoreFailure.Unusable;
        return new DurableStoreException($"Cannot {operation} in '{path}': {what}. ({e.Message.Trim()})", failure, e);
    }
}
