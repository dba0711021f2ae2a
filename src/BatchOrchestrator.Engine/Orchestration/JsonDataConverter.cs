using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>The default <see cref="DataConverter"/>: System.Text.Json with web defaults (camelCase).</summary>
public sealed class JsonDataConverter(JsonSerializerOptions options) : DataConverter
{
    /// <summary>
    /// A shared converter with web defaults; immutable, safe to share. The engine's own
    /// orchestration types use compile-time metadata (<see cref="EngineJsonContext"/>), others reflection.
    /// </summary>
    public static JsonDataConverter Default { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(EngineJsonContext.Default, new DefaultJsonTypeInfoResolver()),
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
            return JsonSerializer.Serialize(value, value.GetType(), options);
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
            return targetType.IsValueType ? Activator.CreateInstance(targetType) : null;
        }

        try
        {
            return JsonSerializer.Deserialize(data, targetType, options);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException)
        {
            throw new DataConversionException($"The JSON {Truncate(data)} cannot be read as {targetType.FullName}: {e.Message}", e);
        }
    }

    private static string Truncate(string data) => data.Length <= 80 ? data : data[..80] + "…";
}
