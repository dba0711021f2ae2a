using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>A statement prepared on a connection and how many times SQLite has run it since it was prepared.</summary>
internal sealed record StatementRuns(string Sql, int Runs)
{
    // SQLITE_STMTSTATUS_RUN of sqlite3.h; SQLitePCLRaw names only some of the counters.
    private const int StmtStatusRun = 6;

    /// <summary>
    /// Lets <see cref="Of"/> list a connection's statements (SQLitePCLRaw then keeps a list of them);
    /// called right after the connection opens, before it prepares any.
    /// </summary>
    public static void Listed(SqliteConnection connection, bool listed)
    {
        if (listed)
        {
            connection.Handle!.enable_sqlite3_next_stmt(true);
        }
    }

    /// <summary>The statements <paramref name="connection"/> holds prepared now (SQLite's own list and counts).</summary>
    public static IEnumerable<StatementRuns> Of(SqliteConnection connection)
    {
        var db = connection.Handle!;
        var found = new List<StatementRuns>();
        for (var statement = raw.sqlite3_next_stmt(db, null); statement is not null; statement = raw.sqlite3_next_stmt(db, statement))
        {
            found.Add(new StatementRuns(raw.sqlite3_sql(statement).utf8_to_string(), raw.sqlite3_stmt_status(statement, StmtStatusRun, 0)));
        }

        return found;
    }
}
