using System.Collections.Immutable;
using System.Text.Json;
using BatchOrchestrator.Language.Parameters;

namespace BatchOrchestrator.Engine.Workflows.Params;

/// <summary>
/// Params stored by earlier tasks (the store layer). Immutable: every branch of a parallel group
/// gets its own copy, and <see cref="Join"/> merges branches with the last in submission order
/// winning, as Digdag does.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(StoreParamsJsonConverter))]
public sealed record StoreParams(ImmutableSortedDictionary<string, ParamValue> Values)
{
    public static StoreParams Empty { get; } = new(ImmutableSortedDictionary<string, ParamValue>.Empty.WithComparers(StringComparer.Ordinal));

    /// <summary>The store after a task stored <paramref name="stored"/> (a JSON object) and reset <paramref name="reset"/>.</summary>
    public StoreParams With(JsonElement stored, IReadOnlyList<string> reset, ParamSequence sequence)
    {
        var values = Values;
        foreach (var key in reset)
        {
            values = values.Remove(key);
        }

        if (stored.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in stored.EnumerateObject())
            {
                var merged = values.TryGetValue(property.Name, out var existing)
                    ? JsonValues.DeepMerge(existing.Value, property.Value)
                    : property.Value.Clone();
                values = values.SetItem(property.Name, new ParamValue(merged, sequence));
            }
        }

        return new StoreParams(values);
    }

    /// <summary>Joins the stores of branches given in submission order: for each key the last branch that set it wins.</summary>
    public static StoreParams Join(StoreParams start, IEnumerable<StoreParams> branches)
    {
        var values = start.Values;
        foreach (var branch in branches)
        {
            foreach (var (key, value) in branch.Values)
            {
                if (!start.Values.TryGetValue(key, out var before) || !ReferenceEquals(before, value))
                {
                    values = values.SetItem(key, value);
                }
            }
        }

        return new StoreParams(values);
    }

    /// <summary>The params set or changed since <paramref name="before"/> (a JSON object): what a task left for later tasks.</summary>
    public JsonElement ChangedSince(StoreParams before) =>
        JsonSerializer.SerializeToElement(Values
            .Where(kv => !before.Values.TryGetValue(kv.Key, out var old) || !ReferenceEquals(old, kv.Value))
            .ToDictionary(kv => kv.Key, kv => kv.Value.Value), BatchOrchestrator.Engine.Json.ValuesJsonContext.Default.DictionaryStringJsonElement);

    /// <summary>The store as contributions: one per sequence (what one task stored), in order.</summary>
    /// <remarks>
    /// Worked out once per store: every task that starts from it asks (each child of a loop, on
    /// every replay), and below a loop that stored many keys it has as many layers.
    /// </remarks>
    public IReadOnlyList<(ParamSequence Sequence, ParamSet Values)> ToLayers()
    {
        // Keyed by the values it was made of: a copy made with `with` must not inherit it.
        if (_layers is { } cached && ReferenceEquals(cached.Of, Values))
        {
            return cached.Layers;
        }

        var layers = Values.GroupBy(kv => kv.Value.Sequence)
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, ParamSet.From(g.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.Value)))))
            .ToList();
        _layers = new LayerCache(Values, layers);
        return layers;
    }

    private LayerCache? _layers;

    private sealed record LayerCache(ImmutableSortedDictionary<string, ParamValue> Of, IReadOnlyList<(ParamSequence Sequence, ParamSet Values)> Layers);

    // Equality is that of the values alone, as before the cache: it is not part of the store.
    public bool Equals(StoreParams? other) => other is not null && ReferenceEquals(Values, other.Values);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Values);
}
