namespace BatchOrchestrator.Runtime.Storage;

/// <summary>
/// The runtime's database cannot be used: read-only, corrupt, full, or in use by another
/// runtime. The message says which and names the file; the database is left as it was before
/// the failed operation.
/// </summary>
public sealed class DurableStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DurableStoreException() { }

    /// <summary>Creates the exception with a message.</summary>
    public DurableStoreException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public DurableStoreException(string message, Exception innerException) : base(message, innerException) { }
}
