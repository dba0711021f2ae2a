namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>A value could not be serialized or deserialized by the <see cref="DataConverter"/>.</summary>
public sealed class DataConversionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DataConversionException() { }

    /// <summary>Creates the exception with a message.</summary>
    public DataConversionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public DataConversionException(string message, Exception innerException) : base(message, innerException) { }
}
