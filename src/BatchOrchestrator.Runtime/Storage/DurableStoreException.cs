namespace BatchOrchestrator.Runtime.Storage;

/// <summary>
/// The runtime's database cannot be used: read-only, corrupt, full, in use by another runtime, or
/// written by a newer version. The message says which and names the file; the database is left as
/// it was before the failed operation.
/// </summary>
public sealed class DurableStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DurableStoreException() { }

    /// <summary>Creates the exception with a message.</summary>
    public DurableStoreException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public DurableStoreException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a message and what kind of failure it is.</summary>
    public DurableStoreException(string message, DurableStoreFailure failure) : base(message) => Failure = failure;

    /// <summary>Creates the exception with a message, what kind of failure it is and its cause.</summary>
    public DurableStoreException(string message, DurableStoreFailure failure, Exception innerException) : base(message, innerException) => Failure = failure;

    /// <summary>What a host can do about it: wait for the other runtime, open it with a newer version, or fix the file.</summary>
    public DurableStoreFailure Failure { get; }
}
