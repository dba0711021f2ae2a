using System.Text.Json;
using BatchOrchestrator.Language.Diagnostics;

namespace BatchOrchestrator.Language.Syntax;

/// <summary>
/// A YAML value of a workflow file with the position it came from. Parsing keeps the whole
/// file as this tree so every later check can point at the exact line and column.
/// </summary>
public abstract record ConfigNode(SourceLocation Location)
{
    /// <summary>A short word for the node's kind, for "expected X but got Y" messages.</summary>
    public abstract string KindName { get; }

    /// <summary>The value as JSON, with YAML's core schema for plain scalars (true, 12, 1.5, null).</summary>
    public abstract JsonElement ToJson();

    internal abstract void WriteJson(Utf8JsonWriter writer);

    protected static JsonElement Serialize(ConfigNode node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            node.WriteJson(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}

/// <summary>How a scalar was written; only plain scalars are typed (a quoted "true" stays a string).</summary>
public enum ScalarStyle
{
    Plain,
    Quoted,
    Block,
}

public sealed record ScalarNode(string Value, ScalarStyle Style, SourceLocation Location) : ConfigNode(Location)
{
    /// <summary>The YAML tag when one was written (<c>!include</c>); null otherwise.</summary>
    public string? Tag { get; init; }

    public bool IsPlain => Style == ScalarStyle.Plain;

    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string KindName => IsNull ? "null" : TryGetBoolean(out _) ? "boolean" : TryGetInteger(out _) ? "integer" : "string";

    public bool TryGetBoolean(out bool value)
    {
        value = false;
        if (!IsPlain)
        {
            return false;
        }

        switch (Value)
        {
            case "true" or "True" or "TRUE":
                value = true;
                return true;
            case "false" or "False" or "FALSE":
                return true;
            default:
                return false;
        }
    }

    public bool TryGetInteger(out long value)
    {
        value = 0;
        return IsPlain && long.TryParse(Value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    public bool TryGetNumber(out double value)
    {
        value = 0;
        return IsPlain
            && Value.Length > 0
            && (char.IsDigit(Value[0]) || Value[0] is '-' or '+' or '.')
            && double.TryParse(Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }

    public override JsonElement ToJson() => Serialize(this);

    internal override void WriteJson(Utf8JsonWriter writer)
    {
        if (IsNull)
        {
            writer.WriteNullValue();
        }
        else if (TryGetBoolean(out var b))
        {
            writer.WriteBooleanValue(b);
        }
        else if (TryGetInteger(out var l))
        {
            writer.WriteNumberValue(l);
        }
        else if (TryGetNumber(out var d))
        {
            // A float written whole (1.0) stays a float, as Digdag's JSON keeps it (py> gets 1.0, not 1).
            if (d == Math.Floor(d) && Math.Abs(d) < 1e15)
            {
                writer.WriteRawValue(((long)d).ToString(System.Globalization.CultureInfo.InvariantCulture) + ".0");
            }
            else
            {
                writer.WriteNumberValue(d);
            }
        }
        else
        {
            writer.WriteStringValue(Value);
        }
    }

    public override string ToString() => Value;
}

/// <summary>A YAML mapping whose keys are scalars, in file order (order matters: tasks run in it).</summary>
public sealed record MappingNode(IReadOnlyList<ConfigEntry> Entries, SourceLocation Location) : ConfigNode(Location)
{
    public override string KindName => "mapping";

    // An index loop, not LINQ with a lambda: the interpreter looks keys up (_export, _do, _retry, ...)
    // several times for every task it runs, and each lookup allocated a closure, a delegate and an enumerator.
    public ConfigEntry? Find(string key)
    {
        for (var i = 0; i < Entries.Count; i++)
        {
            if (Entries[i].Key.Value == key)
            {
                return Entries[i];
            }
        }

        return null;
    }

    public ConfigNode? Get(string key) => Find(key)?.Value;

    public override JsonElement ToJson() => Serialize(this);

    internal override void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var entry in Entries)
        {
            writer.WritePropertyName(entry.Key.Value);
            entry.Value.WriteJson(writer);
        }

        writer.WriteEndObject();
    }
}

public sealed record ConfigEntry(ScalarNode Key, ConfigNode Value)
{
    public string Name => Key.Value;
}

public sealed record SequenceNode(IReadOnlyList<ConfigNode> Items, SourceLocation Location) : ConfigNode(Location)
{
    public override string KindName => "list";

    public override JsonElement ToJson() => Serialize(this);

    internal override void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        foreach (var item in Items)
        {
            item.WriteJson(writer);
        }

        writer.WriteEndArray();
    }
}
