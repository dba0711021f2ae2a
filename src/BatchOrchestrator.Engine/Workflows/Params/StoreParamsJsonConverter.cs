using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using BatchOrchestrator.Language.Parameters;

namespace BatchOrchestrator.Engine.Workflows.Params;

/// <summary>
/// Writes a store as <c>{"key": {"value": ..., "sequence": n}}</c> and reads it back with the
/// ordinal key order the interpreter relies on (the default reader would lose the comparer).
/// </summary>
public sealed class StoreParamsJsonConverter : JsonConverter<StoreParams>
{
    public override StoreParams Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, ParamValue>(StringComparer.Ordinal);
        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value.TryGetProperty("value", out var v) ? v.Clone() : JsonValues.Null;
                var sequence = property.Value.TryGetProperty("sequence", out var s) && s.TryGetInt64(out var n) ? n : 0;
                builder[property.Name] = new ParamValue(value, sequence);
            }
        }

        return new StoreParams(builder.ToImmutable());
    }

    public override void Write(Utf8JsonWriter writer, StoreParams value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, entry) in value.Values)
        {
            writer.WritePropertyName(key);
            writer.WriteStartObject();
            writer.WritePropertyName("value");
            entry.Value.WriteTo(writer);
            writer.WriteNumber("sequence", entry.Sequence);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
