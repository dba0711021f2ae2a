using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Runtime.Storage;

/// <summary>
/// The database in WAL mode, from its creation to its stop. A new, empty file enters WAL mode
/// without a rollback journal: the switch writes only page 1 of an empty database, whose bytes that
/// matter fit the first sector, so a journal would protect nothing, and it cost two fsyncs (journal,
/// folder) besides the file's own. The database's WAL outlives the runtime: a stop does not copy it back into the database file
/// (SQLite's checkpoint on the last connection's close: an fsync of the WAL, one of the database,
/// the WAL deleted) and the next open replays it. A stop syncs the WAL once instead, so a stopped
/// runtime's last commits are on disk against a power loss, as the checkpoint made them. Copying
/// the database while no runtime runs takes its <c>-wal</c> file with it.
/// </summary>
internal static class KeptWal
{
    private const int NoCheckpointOnClose = 1006; // SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE

    /// <summary><c>PRAGMA journal_mode=WAL</c>; on a new file without writing a rollback journal first.</summary>
    public static void SwitchToWal(this SqliteConnection connection)
    {
        if (Convert.ToInt64(connection.Command("PRAGMA page_count").ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            connection.Execute(null, "PRAGMA journal_mode=OFF");
        }

        connection.Execute(null, "PRAGMA journal_mode=WAL");
    }

    /// <summary>Call on every connection to the database: whichever closes last would checkpoint.</summary>
    public static void KeepWalOnClose(this SqliteConnection connection) =>
        SQLitePCL.raw.sqlite3_db_config(connection.Handle, NoCheckpointOnClose, 1, out _);

    /// <summary>After the last connection closed: the WAL's writes (synchronous=NORMAL: not synced at commit) on disk.</summary>
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
