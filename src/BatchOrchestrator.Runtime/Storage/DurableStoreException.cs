using BatchOrchestrator.Engine.Stores;

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

    /// <summary>Creates the exception naming the file at fault, what kind of failure it is and its cause.</summary>
    public DurableStoreException(string message, string path, StoreFailure failure, Exception? innerException = null) : base(message, innerException)
    {
        Path = path;
        Failure = failure;
    }

    /// <summary>The file at fault (the database or its lock file), when known.</summary>
    public string? Path { get; }

    /// <summary>What a host can do about it: wait for the other runtime, open it with a newer version, or fix the file.</summary>
    public StoreFailure Failure { get; }
}
