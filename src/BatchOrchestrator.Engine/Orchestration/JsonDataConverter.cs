using System.Text;
using System.Text.Json;
using BatchOrchestrator.Engine.Json;

namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>The default <see cref="DataConverter"/>: System.Text.Json with web defaults (camelCase).</summary>
public sealed class JsonDataConverter(JsonSerializerOptions options) : DataConverter
{
    /// <summary>
    /// A shared converter with web defaults; immutable, safe to share. The engine's own
    /// orchestration types use compile-time metadata (<see cref="EngineJsonContext"/>), others
    /// reflection where there is any (not under Native AOT).
    /// </summary>
    public static JsonDataConverter Default { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = JsonResolvers.WithReflectionFallback(EngineJsonContext.Default),
    });

    /// <inheritdoc/>
    public override string? Serialize(object? value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Serialize(value, options.GetTypeInfo(value.GetType()));
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException)
        {
            throw new DataConversionException($"A value of type {value.GetType().FullName} cannot be serialized to JSON: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public override object? Deserialize(string? data, Type targetType)
    {
        ArgumentNullException.ThrowIfNull(targetType);
        if (data is null)
        {
            // A struct's default from its metadata: no reflection (Native AOT). The typed
            // Deserialize<T> answers default(T) itself, primitives included.
            return targetType.IsValueType
                ? options.GetTypeInfo(targetType).CreateObject?.Invoke() ?? throw new DataConversionException($"No JSON cannot be read as {targetType.FullName}.", new ArgumentNullException(nameof(data)))
                : null;
        }

        try
        {
            // A long text is turned into UTF-8 here, in an array of its own size that is collected
            // after: the serializer would rent up to three bytes a character from the shared pool,
            // which keeps the array for the rest of the process (16 MB for a 2.9 MB workflow).
            return data.Length < LargeText
                ? JsonSerializer.Deserialize(data, options.GetTypeInfo(targetType))
                : JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(data), options.GetTypeInfo(targetType));
        }
        catch (Exception e) when (e is NotSupportedException or JsonException)
        {
            throw new DataConversionException($"The JSON {Truncate(data)} cannot be read as {targetType.FullName}: {e.Message}", e);
        }
    }

    private const int LargeText = 256 * 1024;

    private static string Truncate(string data) => data.Length <= 80 ? data : data[..80] + "…";
}
