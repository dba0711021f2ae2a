using System.Collections;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using BatchOrchestrator.Language.Diagnostics;

namespace BatchOrchestrator.Language.Parameters;

/// <summary>
/// An immutable map of parameter names to JSON values, in insertion order. Every operation returns a
/// new set; values are detached <see cref="JsonElement"/>s (no live <see cref="JsonDocument"/> behind
/// them), so a set can be shared across threads and kept after its source is gone.
/// </summary>
/// <remarks>
/// Order is kept because it is visible to users (the order of <c>sh&gt;</c> environment variables,
/// of params printed by <c>bo check</c>) and must be the same on every replay.
/// </remarks>
public sealed class ParamSet : IReadOnlyDictionary<string, JsonElement>, IEquatable<ParamSet>
{
    private readonly ImmutableDictionary<string, JsonElement> _values;
    // An array, not an ImmutableList: every task's param resolution enumerates these sets several
    // times, and an ImmutableList enumerator (a pooled tree walk) cost more than the merge itself.
    private readonly ImmutableArray<string> _order;

    private ParamSet(ImmutableDictionary<string, JsonElement> values, ImmutableArray<string> order)
    {
        _values = values;
        _order = order;
    }

    /// <summary>The set with no params.</summary>
    public static ParamSet Empty { get; } = new(ImmutableDictionary.Create<string, JsonElement>(StringComparer.Ordinal), []);

    /// <summary>Number of top-level params.</summary>
    public int Count => _order.Length;

    /// <summary>Names in insertion order (a replaced value keeps its original position).</summary>
    public IEnumerable<string> Keys => _order;

    /// <summary>Values in the order of <see cref="Keys"/>.</summary>
    public IEnumerable<JsonElement> Values => _order.Select(k => _values[k]);

    /// <summary>The value of <paramref name="key"/>; throws <see cref="KeyNotFoundException"/> naming the key and the closest known one.</summary>
    public JsonElement this[string key] => Get(key);

    /// <summary>Builds a set from a JSON object; throws <see cref="ArgumentException"/> when <paramref name="json"/> is not an object.</summary>
    public static ParamSet FromJson(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"Params must be a JSON object (name → value), but got a {JsonKinds.Describe(json.ValueKind)}.", nameof(json));
        }

        // One clone detaches the whole tree; its children then need no copies of their own.
        var root = json.Clone();
        return FromPairs(root.EnumerateObject().Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value)));
    }

    /// <summary>Parses a JSON object text; throws <see cref="ArgumentException"/> for invalid JSON or a non-object.</summary>
    public static ParamSet Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return FromJson(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"Params are not valid JSON: {ex.Message}", nameof(json), ex);
        }
    }

    /// <summary>Builds a set from pairs, later duplicates replacing earlier ones.</summary>
    public static ParamSet From(IEnumerable<KeyValuePair<string, JsonElement>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return FromPairs(pairs.Select(p => new KeyValuePair<string, JsonElement>(p.Key, JsonValues.Detach(p.Value))));
    }

    /// <summary>The params as one JSON object, in <see cref="Keys"/> order.</summary>
    public JsonElement ToJson() => JsonValues.Build(writer =>
    {
        writer.WriteStartObject();
        foreach (var key in _order)
        {
            writer.WritePropertyName(key);
            _values[key].WriteTo(writer);
        }

        writer.WriteEndObject();
    });

    /// <summary>The params as compact JSON text.</summary>
    public string ToJsonString() => ToJson().GetRawText();

    /// <summary>True when a param named <paramref name="key"/> exists.</summary>
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <summary>The value of <paramref name="key"/>, or false when absent.</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out JsonElement value) => _values.TryGetValue(key, out value);

    /// <summary>Same as <see cref="TryGetValue"/>.</summary>
    public bool TryGet(string key, out JsonElement value) => _values.TryGetValue(key, out value);

    /// <summary>The value of <paramref name="key"/>; throws <see cref="KeyNotFoundException"/> naming the key and the closest known one.</summary>
    public JsonElement Get(string key)
    {
        if (_values.TryGetValue(key, out var value))
        {
            return value;
        }

        throw new KeyNotFoundException($"No param named '{key}'{Suggestions.DidYouMean(key, _order)}.");
    }

    /// <summary>A copy with <paramref name="key"/> set to <paramref name="value"/> (replaced, not merged).</summary>
    public ParamSet With(string key, JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var detached = JsonValues.Detach(value);
        return _values.ContainsKey(key)
            ? new ParamSet(_values.SetItem(key, detached), _order)
            : new ParamSet(_values.Add(key, detached), _order.Add(key));
    }

    /// <summary>A copy with <paramref name="key"/> set to a string.</summary>
    public ParamSet With(string key, string value) => With(key, JsonValues.String(value));

    /// <summary>A copy without <paramref name="key"/>; the same set when it is absent.</summary>
    public ParamSet Without(string key) =>
        _values.ContainsKey(key) ? new ParamSet(_values.Remove(key), _order.Remove(key, StringComparer.Ordinal)) : this;

    /// <summary>
    /// This set with <paramref name="over"/> merged on top: where both hold a JSON object under the same
    /// name the objects merge recursively; anything else (strings, numbers, arrays, null) is replaced by
    /// <paramref name="over"/>'s value. Arrays are never concatenated. Keys new in <paramref name="over"/>
    /// are appended in its order.
    /// </summary>
    public ParamSet MergedWith(ParamSet over)
    {
        ArgumentNullException.ThrowIfNull(over);
        if (over.Count == 0)
        {
            return this;
        }

        if (Count == 0)
        {
            return over;
        }

        var merger = ToMerger();
        merger.Merge(over);
        return merger.ToParamSet();
    }

    /// <summary>
    /// A set that others are merged onto one after the other (each as <see cref="MergedWith"/>
    /// describes) without a new set for each: a task's param resolution merges every export and
    /// store it sees, and copying the whole set per contribution made it quadratic.
    /// </summary>
    public sealed class Merger
    {
        private readonly Dictionary<string, JsonElement> _values;
        private readonly List<string> _order;

        internal Merger(ParamSet start)
        {
            _values = new Dictionary<string, JsonElement>(start._values, StringComparer.Ordinal);
            _order = [.. start._order];
        }

        /// <summary>The value of <paramref name="key"/> merged so far, or false when absent.</summary>
        public bool TryGet(string key, out JsonElement value) => _values.TryGetValue(key, out value);

        /// <summary>Merges <paramref name="over"/> on top (see <see cref="MergedWith"/>).</summary>
        public void Merge(ParamSet over)
        {
            ArgumentNullException.ThrowIfNull(over);
            foreach (var key in over._order)
            {
                var value = over._values[key];
                if (_values.TryGetValue(key, out var existing))
                {
                    _values[key] = JsonValues.DeepMerge(existing, value);
                }
                else
                {
                    _values[key] = value;
                    _order.Add(key);
                }
            }
        }

        /// <summary>What has been merged, as a set.</summary>
        public ParamSet ToParamSet() => new(_values.ToImmutableDictionary(StringComparer.Ordinal), [.. _order]);
    }

    /// <summary>A <see cref="Merger"/> starting from this set.</summary>
    public Merger ToMerger() => new(this);

    // Values must already be detached.
    private static ParamSet FromPairs(IEnumerable<KeyValuePair<string, JsonElement>> pairs)
    {
        var values = ImmutableDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
        var order = ImmutableArray.CreateBuilder<string>();
        foreach (var (key, value) in pairs)
        {
            ArgumentNullException.ThrowIfNull(key);
            if (!values.ContainsKey(key))
            {
                order.Add(key);
            }

            values[key] = value;
        }

        return new ParamSet(values.ToImmutable(), order.ToImmutable());
    }

    /// <summary>Structural equality: same names (in any order) with deeply equal values.</summary>
    public bool Equals(ParamSet? other)
    {
        if (other is null || other.Count != Count)
        {
            return false;
        }

        foreach (var (key, value) in _values)
        {
            if (!other._values.TryGetValue(key, out var otherValue) || !JsonElement.DeepEquals(value, otherValue))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as ParamSet);

    public override int GetHashCode()
    {
        var hash = 0;
        foreach (var key in _order)
        {
            hash ^= StringComparer.Ordinal.GetHashCode(key);
        }

        return hash;
    }

    public IEnumerator<KeyValuePair<string, JsonElement>> GetEnumerator()
    {
        foreach (var key in _order)
        {
            yield return new KeyValuePair<string, JsonElement>(key, _values[key]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Compact JSON, for logs and test failure messages.</summary>
    public override string ToString() => ToJsonString();
}
