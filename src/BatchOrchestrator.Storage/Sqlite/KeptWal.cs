using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>
/// A store's SQLite file in WAL mode, as the runtime's (BatchOrchestrator.Runtime's <c>KeptWal</c>):
/// a new, empty file enters WAL mode without a rollback journal (the switch writes only page 1 of an
/// empty database, whose bytes that matter fit the first sector: the journal and its folder's fsync
/// protected nothing). The run store's WAL outlives the store: no checkpoint when the last
/// connection closes (two fsyncs and a copy of the pages at every stop), the next open replays it,
/// and a close syncs it once so what a stopped store wrote is on disk against a power loss.
/// </summary>
internal static class KeptWal
{
    private const int NoCheckpointOnClose = 1006; // SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE

    /// <summary>Per connection: <c>synchronous</c> (before the switch, which on a new file syncs at it), WAL, busy timeout.</summary>
    public static void EnterWal(this SqliteConnection connection, TimeSpan busyTimeout)
    {
        using var command = connection.CreateCommand();
        // NORMAL is durable across a process crash in WAL mode; a power loss can drop the last commits.
        command.CommandText = "PRAGMA synchronous = NORMAL";
        command.ExecuteNonQuery();
        command.CommandText = "PRAGMA page_count";
        var journal = (long)command.ExecuteScalar()! == 0 ? "PRAGMA journal_mode = OFF;" : "";
        command.CommandText = $"{journal} PRAGMA journal_mode = WAL; PRAGMA busy_timeout = {(int)busyTimeout.TotalMilliseconds};";
        command.ExecuteNonQuery();
    }

    /// <summary>SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE on one connection; every connection needs it, the last to close decides.</summary>
    public static void KeepWalOnClose(this SqliteConnection connection) =>
        SQLitePCL.raw.sqlite3_db_config(connection.Handle, NoCheckpointOnClose, 1, out _);

    public static void Sync(string databasePath)
    {
        try
        {
            using var wal = File.OpenHandle(databasePath + "-wal", FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.FlushToDisk(wal);
        }
        catch (Exception gone) when (gone is FileNotFoundException or DirectoryNotFoundException)
        {
            // Nothing was written, a connection of another process checkpointed the WAL away, or the
            // folder was deleted under the open store.
        }
    }
}
