using System.Collections.Immutable;

namespace BatchOrchestrator.Language.Parameters;

/// <summary>
/// The params one task sees, before template evaluation: <see cref="Values"/> holds every layer merged
/// with the right precedence, with template strings still raw; <see cref="TemplateSites"/> lists where
/// those raw templates are, so that only text written in the workflow (local params and <c>_export</c>)
/// is ever evaluated, and data (stored, session and built-in values) never is.
/// Render it with <c>TemplateEngine.RenderParams</c>.
/// </summary>
/// <param name="Values">Merged params, unevaluated.</param>
/// <param name="TemplateSites">
/// Paths whose value is a string containing <c>$</c> (or a list holding such strings) that came from the
/// local or export layer and was not overwritten by data afterwards. In <see cref="Values"/> order.
/// </param>
/// <param name="Inherited">
/// The params the task's own keys replaced, as they were before (unevaluated), with their template sites:
/// what a key that reads its own name sees (<c>color: ${color}</c> under <c>_export: {color: red}</c>).
/// Null when the task replaced none.
/// </param>
public sealed record EffectiveParams(ParamSet Values, ImmutableArray<ParamPath> TemplateSites, InheritedParams? Inherited = null)
{
    /// <summary>Params with nothing to evaluate (all values are data).</summary>
    public static EffectiveParams FromData(ParamSet values) => new(values, []);
}

/// <summary>Values a task's own keys replaced, and where templates sit in them.</summary>
/// <param name="Values">Each replaced top-level param as it was before the task's layer, unevaluated.</param>
/// <param name="TemplateSites">Template sites inside <see cref="Values"/> (from exports; data is never evaluated).</param>
public sealed record InheritedParams(ParamSet Values, ImmutableArray<ParamPath> TemplateSites);
