namespace BatchOrchestrator.Runtime.Storage;

/// <summary>Why the runtime's database cannot be used, as far as a host answers each differently.</summary>
public enum DurableStoreFailure
{
    /// <summary>The file cannot be used as it is: read-only, corrupt, full, or an I/O error.</summary>
    Unusable,

    /// <summary>Another runtime (or another process) holds the database.</summary>
    InUse,

    /// <summary>The database was written by a newer version of the runtime, with a schema this one does not know.</summary>
    NewerSchema,
}
