using BatchOrchestrator.Common.Sqlite;
using BatchOrchestrator.Engine.Stores;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>A SQLite error met while opening a store's file, as the <see cref="StoreFailure"/> a host words for the user (the explaining is shared with the runtime: <see cref="SqliteErrors"/>).</summary>
internal static class SqliteFailures
{
    public static StoreUnavailableException Opening(SqliteException e, string path)
    {
        var fault = SqliteErrors.Explain(e, path, "open the database");
        return new StoreUnavailableException(fault.Message, fault.Path, fault.Failure, e);
    }
}
