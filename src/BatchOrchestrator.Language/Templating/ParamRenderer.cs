using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Language.Parameters;

namespace BatchOrchestrator.Language.Templating;

/// <summary>
/// Evaluates the template sites of <see cref="EffectiveParams"/> key by key, in order (Digdag's rule). A
/// key that reads its own name sees the param it replaced (<see cref="EffectiveParams.Inherited"/>); a key
/// that reads one below it has that one evaluated first, and a cycle is reported instead of looping.
/// </summary>
internal sealed class ParamRenderer : TemplateScope
{
    private readonly RenderSession _session;
    private readonly JsonRenderer _json;
    private readonly Dictionary<string, JsonElement> _values = new(StringComparer.Ordinal);
    private readonly List<string> _order;
    private readonly Dictionary<string, List<ParamPath>> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonElement> _inherited = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ParamPath>> _inheritedPending = new(StringComparer.Ordinal);

    // What is being evaluated, outermost first: a key's own value, or the inherited value it replaced.
    private readonly List<(string Name, bool Inherited)> _inProgress = [];

    public ParamRenderer(RenderSession session, EffectiveParams effective)
    {
        _session = session;
        _json = new JsonRenderer(session);
        _order = [.. effective.Values.Keys];
        foreach (var (key, value) in effective.Values)
        {
            _values[key] = value;
        }

        Group(effective.TemplateSites, _pending);
        if (effective.Inherited is { } inherited)
        {
            foreach (var (key, value) in inherited.Values)
            {
                _inherited[key] = value;
            }

            Group(inherited.TemplateSites, _inheritedPending);
        }
    }

    public override IEnumerable<string> Names => _order;

    public ParamSet RenderAll()
    {
        foreach (var root in _order)
        {
            RenderRoot(root);
        }

        return ParamSet.From(_order.Select(k => new KeyValuePair<string, JsonElement>(k, _values[k])));
    }

    public override bool TryGet(string name, out JsonElement value)
    {
        if (!_values.ContainsKey(name))
        {
            value = default;
            return false;
        }

        var at = _inProgress.FindLastIndex(f => f.Name == name);
        if (at >= 0 && at == _inProgress.Count - 1)
        {
            return ReadOwnName(name, _inProgress[at].Inherited, out value);
        }

        if (at >= 0)
        {
            var cycle = string.Join(" → ", _inProgress.Skip(at).Select(f => f.Name).Append(name));
            throw new TemplateException(
                TemplateErrorKind.Cycle,
                $"Params refer to each other in a cycle: {cycle}. Each template must depend only on params that do not depend on it.",
                _values[name].ValueKind == JsonValueKind.String ? _values[name].GetString()! : name,
                variable: name);
        }

        RenderRoot(name);
        value = _values[name];
        return true;
    }

    private static void Group(IEnumerable<ParamPath> sites, Dictionary<string, List<ParamPath>> byRoot)
    {
        foreach (var site in sites)
        {
            if (!byRoot.TryGetValue(site.Root, out var list))
            {
                byRoot[site.Root] = list = [];
            }

            list.Add(site);
        }
    }

    // A key reading itself: `color: ${color}` sees the param it replaced, evaluated. Without one (or from
    // inside that inherited value) an object sees itself as rendered so far (`td: {db: x, table: ${td.db}}`),
    // and a plain string has nothing to read: the name is undefined there, as in Digdag.
    private bool ReadOwnName(string name, bool inInherited, out JsonElement value)
    {
        var current = inInherited ? _inherited[name] : _values[name];
        if (inInherited || !_inherited.ContainsKey(name))
        {
            value = current;
            return current.ValueKind == JsonValueKind.Object;
        }

        if (_inheritedPending.Remove(name, out var sites))
        {
            _inProgress.Add((name, true));
            foreach (var site in sites)
            {
                _inherited[name] = RenderSite(_inherited[name], site.Segments.AsSpan()[1..], this);
            }

            _inProgress.RemoveAt(_inProgress.Count - 1);
        }

        value = _inherited[name];
        return true;
    }

    private void RenderRoot(string root)
    {
        if (!_pending.Remove(root, out var sites))
        {
            return;
        }

        _inProgress.Add((root, false));
        foreach (var site in sites)
        {
            _values[root] = RenderSite(_values[root], site.Segments.AsSpan()[1..], this);
        }

        _inProgress.RemoveAt(_inProgress.Count - 1);
    }

    // Walks down to the site; strings in a nested object also see the keys written before them (Digdag).
    private JsonElement RenderSite(JsonElement current, ReadOnlySpan<string> rest, TemplateScope scope)
    {
        if (rest.IsEmpty)
        {
            return current.ValueKind switch
            {
                JsonValueKind.String => JsonValues.String(_session.RenderString(current.GetString()!, scope)),
                JsonValueKind.Array => _json.RenderArray(current, scope, this),
                _ => current,
            };
        }

        if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(rest[0], out var child))
        {
            return current;
        }

        var earlier = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in current.EnumerateObject())
        {
            if (property.Name == rest[0])
            {
                break;
            }

            earlier[property.Name] = property.Value;
        }

        var rendered = RenderSite(child, rest[1..], new OverlayScope(earlier, this));
        var node = JsonNode.Parse(current.GetRawText())!.AsObject();
        node[rest[0]] = JsonNode.Parse(rendered.GetRawText());
        return JsonValues.Parse(node.ToJsonString());
    }
}
