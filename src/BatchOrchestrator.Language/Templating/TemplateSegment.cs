namespace BatchOrchestrator.Language.Templating;

/// <summary>One piece of a template string, as <see cref="TemplateText.Parse"/> splits it.</summary>
public abstract record TemplateSegment;

/// <summary>Plain text, with <c>$$</c> already unescaped to <c>$</c>.</summary>
public sealed record LiteralSegment(string Text) : TemplateSegment;

/// <summary>A <c>${expr}</c>: <see cref="Code"/> is the JavaScript between the braces.</summary>
/// <param name="Code">The expression text.</param>
/// <param name="Offset">Index of the <c>$</c> in the template, for messages.</param>
public sealed record ExpressionSegment(string Code, int Offset) : TemplateSegment
{
    /// <summary>The expression as the user wrote it, <c>${...}</c>.</summary>
    public string Source => "${" + Code + "}";
}

/// <summary>
/// A template resolved later by an operator, such as <c>${secret:db.password}</c>: a lowercase word and a
/// colon right after <c>${</c> (Digdag's rule). Rendering leaves it exactly as written.
/// </summary>
/// <param name="Kind">The word before the colon (<c>secret</c>).</param>
/// <param name="Argument">The text after the colon (<c>db.password</c>).</param>
public sealed record OperatorTemplateSegment(string Kind, string Argument) : TemplateSegment
{
    /// <summary>The segment exactly as written.</summary>
    public string Source => "${" + Kind + ":" + Argument + "}";
}
