namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>
/// The param store's one table. Prefixed <c>param_</c> so it could share a file with other
/// tables; <c>updated_at</c> is kept so an expiry (Digdag's 90-day TTL) can be added later
/// without losing the age of existing values.
/// </summary>
internal static class ParamSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS param_values (
            project TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (project, key)
        );
        """;
}
