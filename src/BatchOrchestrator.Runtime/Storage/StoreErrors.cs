using BatchOrchestrator.Common.Sqlite;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Runtime.Storage;

/// <summary>SQLite's errors on the runtime's database as the runtime's own exception (the explaining is shared with the stores: <see cref="SqliteErrors"/>).</summary>
internal static class StoreErrors
{
    public static DurableStoreException Explain(SqliteException e, string path, string operation)
    {
        var fault = SqliteErrors.Explain(e, path, operation);
        return new DurableStoreException(fault.Message, fault.Path, fault.Failure, e);
    }
}
