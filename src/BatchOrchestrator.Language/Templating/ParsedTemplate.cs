using System.Collections.Immutable;

namespace BatchOrchestrator.Language.Templating;

/// <summary>A template string split into segments.</summary>
/// <param name="Text">The original string.</param>
/// <param name="Segments">Literal text, expressions and operator templates, in order; adjacent literals are joined.</param>
/// <param name="UnterminatedAt">
/// Index of a <c>${</c> with no matching <c>}</c>, or -1. Like Digdag, rendering keeps such text literally;
/// validation can warn about it, since it is almost always a typo.
/// </param>
public sealed record ParsedTemplate(string Text, ImmutableArray<TemplateSegment> Segments, int UnterminatedAt)
{
    /// <summary>True when there is at least one <c>${expr}</c> to evaluate.</summary>
    public bool HasExpressions => Segments.Any(s => s is ExpressionSegment);

    /// <summary>The expressions, in order.</summary>
    public IEnumerable<ExpressionSegment> Expressions => Segments.OfType<ExpressionSegment>();
}
