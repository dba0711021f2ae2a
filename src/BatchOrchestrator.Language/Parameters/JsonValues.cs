using System.Buffers;
using System.Text.Unicode;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace BatchOrchestrator.Language.Parameters;

/// <summary>Small helpers to build and combine detached <see cref="JsonElement"/> values.</summary>
public static class JsonValues
{
    // Relaxed escaping keeps raw text readable ("sh>" rather than "sh\u003E"); these values never go into HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Longest string taken the short way (UTF-8 on the stack: up to 3 bytes a char, and the quotes).
    private const int ShortString = 256;

    /// <summary>A JSON string value.</summary>
    public static JsonElement String(string value)
    {
        // Most strings (a task's task_name, a rendered command) need no escaping: their UTF-8
        // between quotes is the JSON, read with no writer and no buffer of its own. Anything
        // else (escapes, invalid UTF-16, long text) is written by the writer as before.
        if (value is { Length: <= ShortString })
        {
            Span<byte> json = stackalloc byte[(ShortString * 3) + 2];
            if (Utf8.FromUtf16(value, json[1..], out _, out var length, replaceInvalidSequences: false) == OperationStatus.Done
                && WriterOptions.Encoder!.FindFirstCharacterToEncodeUtf8(json.Slice(1, length)) < 0)
            {
                json[0] = (byte)'"';
                json[length + 1] = (byte)'"';
                return JsonElement.Parse(json[..(length + 2)]);
            }
        }

        return Build(value, static (w, v) => w.WriteStringValue(v));
    }

    /// <summary>A JSON number value.</summary>
    public static JsonElement Number(long value) => Build(value, static (w, v) => w.WriteNumberValue(v));

    /// <summary>A JSON number value; throws <see cref="ArgumentException"/> for NaN or infinity, which JSON cannot hold.</summary>
    public static JsonElement Number(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"JSON numbers must be finite, but got {value}.", nameof(value));
        }

        return Build(value, static (w, v) => w.WriteNumberValue(v));
    }

    /// <summary>A JSON boolean value.</summary>
    public static JsonElement Boolean(bool value) => value ? True : False;

    /// <summary>JSON <c>null</c>.</summary>
    public static JsonElement Null { get; } = Parse("null");

    private static JsonElement True { get; } = Parse("true");

    private static JsonElement False { get; } = Parse("false");

    /// <summary>Parses JSON text into a detached element; throws <see cref="JsonException"/> on invalid JSON.</summary>
    public static JsonElement Parse(string json) => JsonElement.Parse(json);

    /// <summary>
    /// <paramref name="value"/> as compact JSON text with only the escapes JSON needs: letters outside
    /// ASCII and <c>+</c>, <c>&lt;</c>, <c>&gt;</c> stay themselves (the default encoder escapes them for
    /// HTML), whatever spacing the text it was read from had.
    /// </summary>
    public static string CompactText(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            value.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes one JSON value with <paramref name="write"/> and returns it detached.</summary>
    public static JsonElement Build(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return Build(write, static (w, write) => write(w));
    }

    // The state is passed, not captured: String and Number run for every task (its task_name
    // built-in, each rendered string), and a closure a call was an allocation a value.
    private static JsonElement Build<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer, state);
        }

        // Parsed straight into a document that owns its bytes: parsing into a pooled document and
        // cloning out of it copied every value twice (a task's task_name built-in is one of these).
        return JsonElement.Parse(buffer.WrittenSpan);
    }

    /// <summary>
    /// <paramref name="over"/> merged onto <paramref name="under"/>: objects merge key by key, recursively;
    /// any other pair of values (including arrays) resolves to <paramref name="over"/>.
    /// </summary>
    public static JsonElement DeepMerge(JsonElement under, JsonElement over)
    {
        if (under.ValueKind != JsonValueKind.Object || over.ValueKind != JsonValueKind.Object)
        {
            return Detach(over);
        }

        return Build(writer => WriteMerged(writer, under, over));
    }

    /// <summary>An element safe to keep after its document is disposed (a no-op copy when already detached).</summary>
    public static JsonElement Detach(JsonElement value) =>
        value.ValueKind == JsonValueKind.Undefined
            ? throw new ArgumentException("A param value cannot be an undefined JsonElement (default(JsonElement)); use JsonValues.Null for null.", nameof(value))
            : value.Clone();

    private static void WriteMerged(Utf8JsonWriter writer, JsonElement under, JsonElement over)
    {
        writer.WriteStartObject();
        var overByName = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in over.EnumerateObject())
        {
            overByName[property.Name] = property.Value;
        }

        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in under.EnumerateObject())
        {
            if (!written.Add(property.Name))
            {
                continue;
            }

            writer.WritePropertyName(property.Name);
            if (overByName.TryGetValue(property.Name, out var overValue))
            {
                if (property.Value.ValueKind == JsonValueKind.Object && overValue.ValueKind == JsonValueKind.Object)
                {
                    WriteMerged(writer, property.Value, overValue);
                }
                else
                {
                    overValue.WriteTo(writer);
                }
            }
            else
            {
                property.Value.WriteTo(writer);
            }
        }

        foreach (var property in over.EnumerateObject())
        {
            if (written.Add(property.Name))
            {
                writer.WritePropertyName(property.Name);
                property.Value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }
}
