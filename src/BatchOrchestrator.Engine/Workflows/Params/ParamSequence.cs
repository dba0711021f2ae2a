using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BatchOrchestrator.Engine.Workflows.Params;

/// <summary>
/// When a param contribution (an <c>_export</c> or a store) was made, in the logical order of its
/// attempt: between an export and a store of the same key, the later one wins.
/// </summary>
/// <remarks>
/// <see cref="Clock"/> is a logical clock, one per orchestration of the attempt: each contribution
/// advances it; a chunk sub-orchestration starts from its parent's clock, and when it returns the
/// parent moves past the chunk's last value. So a chunk's contributions come after everything its
/// parent did before starting it, and what the parent does after it returned comes after all of
/// the chunk's. <see cref="Lane"/> is the chunk path of the orchestration that made it (null for
/// the attempt's own): chunks that run side by side start from the same clock, and their lanes
/// keep every sequence of an attempt unique. Between contributions made side by side the order
/// means nothing (the parallel join decides), but it is a total order all the same.
/// </remarks>
/// <param name="Clock">The orchestration's logical clock when the contribution was made.</param>
/// <param name="Lane">The chunk path of the orchestration that made it; null for the attempt's orchestration.</param>
[JsonConverter(typeof(ParamSequenceJsonConverter))]
public readonly record struct ParamSequence(long Clock, string? Lane = null) : IComparable<ParamSequence>
{
    public int CompareTo(ParamSequence other)
    {
        var byClock = Clock.CompareTo(other.Clock);
        return byClock != 0 ? byClock : string.CompareOrdinal(Lane, other.Lane);
    }

    public static bool operator <(ParamSequence left, ParamSequence right) => left.CompareTo(right) < 0;

    public static bool operator >(ParamSequence left, ParamSequence right) => left.CompareTo(right) > 0;

    public static bool operator <=(ParamSequence left, ParamSequence right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ParamSequence left, ParamSequence right) => left.CompareTo(right) >= 0;

    /// <summary><c>17</c> for the attempt's orchestration, <c>17@3.12</c> for a chunk's.</summary>
    public override string ToString() =>
        Lane is null ? Clock.ToString(CultureInfo.InvariantCulture) : $"{Clock.ToString(CultureInfo.InvariantCulture)}@{Lane}";

    /// <summary>Reads <see cref="ToString"/>'s form.</summary>
    public static bool TryParse(string? text, out ParamSequence sequence)
    {
        sequence = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (!long.TryParse(at < 0 ? text : text[..at], NumberStyles.None, CultureInfo.InvariantCulture, out var clock))
        {
            return false;
        }

        sequence = new ParamSequence(clock, at < 0 ? null : text[(at + 1)..]);
        return true;
    }
}

/// <summary>
/// Writes a sequence as small as it gets, since every stored param carries one into chunk inputs
/// and history: a number for the attempt's orchestration, <c>"clock@lane"</c> for a chunk's.
/// </summary>
public sealed class ParamSequenceJsonConverter : JsonConverter<ParamSequence>
{
    public override ParamSequence Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => new ParamSequence(reader.GetInt64()),
        JsonTokenType.String when ParamSequence.TryParse(reader.GetString(), out var sequence) => sequence,
        _ => throw new JsonException("a param sequence is a number or \"clock@lane\""),
    };

    public override void Write(Utf8JsonWriter writer, ParamSequence value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.Lane is null)
        {
            writer.WriteNumberValue(value.Clock);
        }
        else
        {
            writer.WriteStringValue(value.ToString());
        }
    }

    /// <summary>A sequence written by <see cref="Write"/>, as an element of a document.</summary>
    public static ParamSequence ReadElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number when element.TryGetInt64(out var clock) => new ParamSequence(clock),
        JsonValueKind.String when ParamSequence.TryParse(element.GetString(), out var sequence) => sequence,
        _ => default,
    };
}
