using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using BatchOrchestrator.Language.Parameters;

namespace BatchOrchestrator.Engine.Workflows.Params;

/// <summary>
/// Writes a store as <c>{"key": {"value": ..., "sequence": n}}</c> (see <see cref="ParamSequenceJsonConverter"/>) and reads it back with the
/// ordinal key order the interpreter relies on (the default reader would lose the comparer).
/// </summary>
public sealed class StoreParamsJsonConverter : JsonConverter<StoreParams>
{
    private static readonly ParamSequenceJsonConverter Sequences = new();

    public override StoreParams Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, ParamValue>(StringComparer.Ordinal);
        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value.TryGetProperty("value", out var v) ? v.Clone() : JsonValues.Null;
                var sequence = property.Value.TryGetProperty("sequence", out var s) ? ParamSequenceJsonConverter.ReadElement(s) : default;
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
            writer.WritePropertyName("sequence");
            Sequences.Write(writer, entry.Sequence, options);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
