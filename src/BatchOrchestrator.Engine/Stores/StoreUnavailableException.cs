namespace BatchOrchestrator.Engine.Stores;

/// <summary>A store's file cannot be opened or written: which file, and why (<see cref="Failure"/>).</summary>
public sealed class StoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreUnavailableException() { }

    /// <summary>Creates the exception with a message.</summary>
    public StoreUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StoreUnavailableException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception naming the file at fault and why it cannot be used.</summary>
    public StoreUnavailableException(string message, string path, StoreFailure failure, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
        Failure = failure;
    }

    /// <summary>The file at fault, when known.</summary>
    public string? Path { get; }

    /// <summary>What a host can do about it.</summary>
    public StoreFailure Failure { get; }
}
