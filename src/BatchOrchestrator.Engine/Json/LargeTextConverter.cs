using System.Text.Json;
using System.Text.Json.Serialization;

namespace BatchOrchestrator.Engine.Json;

/// <summary>
/// A string that may be megabytes long (a workflow file's text), written in segments. Written
/// whole, a string that needs escaping makes <see cref="Utf8JsonWriter"/> rent a buffer of six
/// times its length from the shared array pool, which keeps it for the rest of the process: a
/// 2.9 MB workflow left a 67 MB array behind, then a 16 MB one for its UTF-8. In segments each
/// rent is small. The JSON is the same either way.
/// </summary>
public sealed class LargeTextConverter : JsonConverter<string>
{
    /// <summary>Characters per segment: small enough that escaping one stays off the large object heap.</summary>
    internal const int SegmentChars = 4096;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= SegmentChars)
        {
            writer.WriteStringValue(value);
            return;
        }

        var rest = value.AsSpan();
        while (rest.Length > SegmentChars)
        {
            // A surrogate pair stays in one segment, so each segment is whole characters.
            var length = char.IsHighSurrogate(rest[SegmentChars - 1]) ? SegmentChars - 1 : SegmentChars;
            writer.WriteStringValueSegment(rest[..length], isFinalSegment: false);
            rest = rest[length..];
        }

        writer.WriteStringValueSegment(rest, isFinalSegment: true);
    }
}
