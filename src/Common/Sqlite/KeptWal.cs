// src/Common/Sqlite: the SQLite helpers both BatchOrchestrator.Runtime (runtime.db) and
// BatchOrchestrator.Storage (runs.db, params.db, schedules.db) need. The two projects may not
// reference each other (ARCHITECTURE.md's project table) and Engine must not know SQLite, so this
// folder is no project: each of the two compiles these files into itself (`<Compile Include=...
// Link=...>` in its .csproj), as an internal copy in its own assembly. The files therefore use
// only Microsoft.Data.Sqlite, SQLitePCLRaw and Engine's types, which both projects reference;
// what differs between the two (the exception they throw, the busy timeout, the synchronous
// level) comes in as parameters.
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Common.Sqlite;

/// <summary>
/// A database file in WAL mode, from its creation to its stop. A new, empty file enters WAL mode
/// without a rollback journal: the switch writes only page 1 of an empty database, whose bytes that
/// matter fit the first sector, so a journal would protect nothing, and it cost two fsyncs (journal,
/// folder) besides the file's own. The WAL outlives its store: a stop does not copy it back into
/// the database file (SQLite's checkpoint on the last connection's close: an fsync of the WAL, one
/// of the database, the WAL deleted) and the next open replays it. A stop syncs the WAL once
/// instead, so a stopped store's last commits are on disk against a power loss, as the checkpoint
/// made them. Copying the database while nothing has it open takes its <c>-wal</c> file with it.
/// </summary>
internal static class KeptWal
{
    private const int NoCheckpointOnClose = 1006; // SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE

    /// <summary>
    /// Per connection: <c>synchronous</c>, WAL (on a new file without writing a rollback journal
    /// first), busy timeout. The level comes first: a new file's switch to WAL then syncs at it,
    /// not at SQLite's default FULL.
    /// </summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="synchronousFull">
    /// fsync every commit. Off, NORMAL: durable across a process crash in WAL mode; an
    /// operating-system crash or power loss can drop the last commits, never corrupt the file.
    /// </param>
    /// <param name="busyTimeout">How long a writer waits for another process's write.</param>
    public static void EnterWal(this SqliteConnection connection, bool synchronousFull, TimeSpan busyTimeout)
    {
        using var command = connection.CreateCommand();
        command.CommandText = synchronousFull ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
        command.ExecuteNonQuery();
        command.CommandText = "PRAGMA page_count";
        var journal = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0 ? "PRAGMA journal_mode = OFF;" : "";
        command.CommandText = $"{journal} PRAGMA journal_mode = WAL; PRAGMA busy_timeout = {(int)busyTimeout.TotalMilliseconds};";
        command.ExecuteNonQuery();
    }

    /// <summary>Call on every connection to the database, readers too: whichever closes last would checkpoint.</summary>
    public static void KeepWalOnClose(this SqliteConnection connection) =>
        SQLitePCL.raw.sqlite3_db_config(connection.Handle, NoCheckpointOnClose, 1, out _);

    /// <summary>
    /// After the store's own connections closed: closes the pooled ones of <paramref name="connectionString"/>
    /// (Microsoft.Data.Sqlite keeps them open past their dispose), then puts the WAL's writes
    /// (synchronous=NORMAL: not synced at commit) on disk.
    /// </summary>
    public static void CloseAndSync(string connectionString, string databasePath)
    {
        using (var pooled = new SqliteConnection(connectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

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
