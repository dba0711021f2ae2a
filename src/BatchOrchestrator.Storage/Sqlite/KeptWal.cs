using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>
/// A run store's WAL outlives the store, as the runtime's does (BatchOrchestrator.Runtime's
/// <c>KeptWal</c>): no checkpoint when the last connection closes (two fsyncs and a copy of the
/// pages at every stop), the next open replays it, and a close syncs it once so what a stopped
/// store wrote is on disk against a power loss.
/// </summary>
internal static class KeptWal
{
    /// <summary>SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE on one connection; every connection needs it, the last to close decides.</summary>
    public static void KeepWalOnClose(this SqliteConnection connection) =>
        SQLitePCL.raw.sqlite3_db_config(connection.Handle, 1006, 1, out _);

    public static void Sync(string databasePath)
    {
        try
        {
            using var wal = File.OpenHandle(databasePath + "-wal", FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.FlushToDisk(wal);
        }
        catch (FileNotFoundException)
        {
            // Nothing was written, or a connection of another process checkpointed the WAL away.
        }
    }
}
