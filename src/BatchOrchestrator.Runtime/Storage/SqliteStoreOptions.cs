namespace BatchOrchestrator.Runtime.Storage;

/// <summary>How the runtime opens its database.</summary>
/// <param name="Path">The database file; created with its directory when missing.</param>
/// <param name="SynchronousFull">
/// fsync every commit. Off (the default), a commit survives a process crash (SIGKILL) but an
/// operating-system crash may lose the last commits; the database is never corrupted.
/// </param>
/// <param name="MaxDatabaseBytes">A quota; a commit past it fails cleanly as "full". None when null.</param>
public sealed record SqliteStoreOptions(string Path, bool SynchronousFull = false, long? MaxDatabaseBytes = null);
