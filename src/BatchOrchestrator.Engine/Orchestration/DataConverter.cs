namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>
/// Turns inputs, outputs and event payloads into the strings kept in history, and back. Must
/// round-trip: what it writes, it reads back equal, in any process.
/// </summary>
public abstract class DataConverter
{
    /// <summary>The serialized form of <paramref name="value"/>; null for null.</summary>
    /// <exception cref="DataConversionException">The value cannot be serialized.</exception>
    public abstract string? Serialize(object? value);

    /// <summary>The value read from <paramref name="data"/>; default for null.</summary>
    /// <exception cref="DataConversionException">The data does not read as <paramref name="targetType"/>.</exception>
    public abstract object? Deserialize(string? data, Type targetType);

    /// <summary>The value read from <paramref name="data"/>, typed.</summary>
    public T? Deserialize<T>(string? data) => data is null ? default : (T?)Deserialize(data, typeof(T));
}
