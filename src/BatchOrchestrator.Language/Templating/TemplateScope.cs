using System.Text.Json;
using BatchOrchestrator.Language.Parameters;

namespace BatchOrchestrator.Language.Templating;

/// <summary>The variables a template can see.</summary>
internal abstract class TemplateScope
{
    public abstract bool TryGet(string name, out JsonElement value);

    /// <summary>Names in scope, for "did you mean".</summary>
    public abstract IEnumerable<string> Names { get; }
}

internal sealed class ParamScope(ParamSet values) : TemplateScope
{
    public override IEnumerable<string> Names => values.Keys;

    public override bool TryGet(string name, out JsonElement value) => values.TryGet(name, out value);
}

/// <summary>Values rendered earlier in the same object shadow the params, as in Digdag.</summary>
internal sealed class OverlayScope(IReadOnlyDictionary<string, JsonElement> overlay, TemplateScope parent) : TemplateScope
{
    public override IEnumerable<string> Names => overlay.Keys.Concat(parent.Names).Distinct(StringComparer.Ordinal);

    public override bool TryGet(string name, out JsonElement value) =>
        overlay.TryGetValue(name, out value) || parent.TryGet(name, out value);
}
