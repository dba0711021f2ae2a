using System.Text.Json;

namespace BatchOrchestrator.Language.Parameters;

/// <summary>
/// Computes the params a task sees from its layers. Pure: the same inputs give the same result, so the
/// orchestrator may call it during replay.
/// </summary>
/// <remarks>
/// Precedence, lowest first:
/// <list type="number">
/// <item>session params (<c>-p k=v</c>, HTTP start params) — the base, so a value set in <c>_export</c>
/// (or stored, or local) always overrides them;</item>
/// <item>exports and stores, interleaved by <see cref="ExportedParams.Sequence"/> /
/// <see cref="StoredParams.Sequence"/>, so whichever was set later wins;</item>
/// <item>local params of the task;</item>
/// <item>built-in variables — nothing overrides them. A built-in that is absent (for example
/// <c>next_session_time</c> without a schedule) overrides nothing.</item>
/// </list>
/// Each step deep-merges onto the previous one (see <see cref="ParamSet.MergedWith"/>).
/// </remarks>
public static class TaskParamResolver
{
    private static readonly string[] NotEvaluatedKeys = ["_do", "_else_do"];

    /// <summary>
    /// The effective (still unevaluated) params of one task. Throws <see cref="ArgumentException"/> when two
    /// export/store contributions share a sequence number, since "which was later" would then be a guess.
    /// </summary>
    public static EffectiveParams Resolve(TaskParamLayers layers, ParamSet sessionParams, ParamSet builtIns)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(sessionParams);
        ArgumentNullException.ThrowIfNull(builtIns);
        if (layers.Exports.Count == 0 && layers.Stores.Count == 0 && layers.Local.Values.Count == 0 && sessionParams.Count == 0)
        {
            // Nothing below the built-ins (a task without params, exports or stores: most of a large
            // generated workflow's): merged onto nothing they are themselves, data with no template
            // in it. Built merge by merge, they cost a dictionary of ~40 keys a task.
            return EffectiveParams.FromData(builtIns);
        }

        var contributions = layers.Exports.Select(e => (e.Sequence, e.Values, Evaluable: true, Kind: "export", e.Origin))
            .Concat(layers.Stores.Select(s => (s.Sequence, s.Values, Evaluable: false, Kind: "store", s.Origin)))
            .OrderBy(c => c.Sequence)
            .ToList();
        for (var i = 1; i < contributions.Count; i++)
        {
            if (contributions[i].Sequence == contributions[i - 1].Sequence)
            {
                throw new ArgumentException(
                    $"Two param contributions have the same sequence number {contributions[i].Sequence} " +
                    $"({Describe(contributions[i - 1])} and {Describe(contributions[i])}); each export and store must get its own number so the later one can win.",
                    nameof(layers));
            }
        }

        var builder = new Builder(sessionParams);
        foreach (var contribution in contributions)
        {
            builder.Apply(contribution.Values, contribution.Evaluable);
        }

        builder.KeepInherited(layers.Local.Values);
        builder.Apply(layers.Local.Values, evaluable: true);
        builder.Apply(builtIns, evaluable: false);
        return builder.Build();

        static string Describe((long Sequence, ParamSet Values, bool Evaluable, string Kind, string Origin) c) =>
            string.IsNullOrEmpty(c.Origin) ? $"an {c.Kind}" : $"the {c.Kind} of {c.Origin}";
    }

    /// <summary>
    /// Merges layers one by one while tracking where unevaluated workflow text sits. In place: a
    /// task below a loop of many stores sees one layer per store, and a set copied per layer made
    /// resolving it quadratic.
    /// </summary>
    private sealed class Builder(ParamSet initial)
    {
        private readonly List<ParamPath> _sites = [];
        private readonly ParamSet.Merger _values = initial.ToMerger();
        private InheritedParams? _inherited;

        /// <summary>Before the task's own layer: keeps what its keys are about to replace (read by a key of the same name).</summary>
        public void KeepInherited(ParamSet local)
        {
            var values = new List<KeyValuePair<string, JsonElement>>();
            foreach (var key in local.Keys)
            {
                if (_values.TryGet(key, out var existing))
                {
                    values.Add(KeyValuePair.Create(key, existing));
                }
            }

            if (values.Count > 0)
            {
                var replaced = values.Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
                _inherited = new InheritedParams(ParamSet.From(values), [.. _sites.Where(s => replaced.Contains(s.Root))]);
            }
        }

        public void Apply(ParamSet over, bool evaluable)
        {
            foreach (var (key, value) in over)
            {
                var path = ParamPath.Of(key);
                if (_values.TryGet(key, out var existing))
                {
                    Overwrite(path, existing, value, evaluable);
                }
                else if (evaluable)
                {
                    AddSites(path, value);
                }
            }

            _values.Merge(over);
        }

        public EffectiveParams Build()
        {
            var values = _values.ToParamSet();
            var order = values.Keys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i, StringComparer.Ordinal);
            var sites = _sites.OrderBy(s => order[s.Root]).ToList();
            return new EffectiveParams(values, [.. sites], _inherited);
        }

        // Mirrors the deep merge: objects meeting objects merge key by key; anything else replaces.
        private void Overwrite(ParamPath path, JsonElement existing, JsonElement value, bool evaluable)
        {
            if (existing.ValueKind == JsonValueKind.Object && value.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in value.EnumerateObject())
                {
                    var child = path.Child(property.Name);
                    if (existing.TryGetProperty(property.Name, out var existingChild))
                    {
                        Overwrite(child, existingChild, property.Value, evaluable);
                    }
                    else if (evaluable)
                    {
                        AddSites(child, property.Value);
                    }
                }

                return;
            }

            _sites.RemoveAll(s => s.StartsWith(path));
            if (evaluable)
            {
                AddSites(path, value);
            }
        }

        private void AddSites(ParamPath path, JsonElement value)
        {
            if (NotEvaluatedKeys.Contains(path.Segments[^1], StringComparer.Ordinal))
            {
                return;
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.String when value.GetString()!.Contains('$', StringComparison.Ordinal):
                    _sites.Add(path);
                    break;
                case JsonValueKind.Object:
                    foreach (var property in value.EnumerateObject())
                    {
                        AddSites(path.Child(property.Name), property.Value);
                    }

                    break;
                case JsonValueKind.Array when ContainsDollar(value):
                    _sites.Add(path);
                    break;
            }
        }

        private static bool ContainsDollar(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!.Contains('$', StringComparison.Ordinal),
            JsonValueKind.Array => value.EnumerateArray().Any(ContainsDollar),
            JsonValueKind.Object => value.EnumerateObject().Any(p => ContainsDollar(p.Value)),
            _ => false,
        };
    }
}
