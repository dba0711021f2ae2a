using System.Buffers;
using System.Text.Json;

namespace BatchOrchestrator.Engine.Secrets;

/// <summary>Visits and rewrites the string values (not the property names) of a JSON value, at any depth.</summary>
internal static class JsonStrings
{
    public static IEnumerable<string> All(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                yield return element.GetString()!;
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var text in All(item))
                    {
                        yield return text;
                    }
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    foreach (var text in All(property.Value))
                    {
                        yield return text;
                    }
                }

                break;
        }
    }

    /// <summary>The value with every string mapped; the same element when no string changes (its text stays exactly as it was).</summary>
    public static JsonElement Map(JsonElement element, Func<string, string> map)
    {
        if (!All(element).Any(text => !string.Equals(map(text), text, StringComparison.Ordinal)))
        {
            return element;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(element, writer, map);
        }

        return JsonSerializer.Deserialize(buffer.WrittenSpan, BatchOrchestrator.Engine.Json.ValuesJsonContext.Default.JsonElement);
    }

    private static void Write(JsonElement element, Utf8JsonWriter writer, Func<string, string> map)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                writer.WriteStringValue(map(element.GetString()!));
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(item, writer, map);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    Write(property.Value, writer, map);
                }

                writer.WriteEndObject();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
