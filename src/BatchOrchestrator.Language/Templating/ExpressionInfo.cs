using System.Collections.Immutable;

namespace BatchOrchestrator.Language.Templating;

/// <summary>What static analysis learned about one expression; immutable, so it is safe to cache and share.</summary>
/// <param name="Code">The expression text.</param>
/// <param name="FreeVariables">Identifiers it reads from the global scope, in order of first use, JavaScript globals included.</param>
/// <param name="CanLoop">True when it can run unboundedly (function literals, <c>eval</c>, <c>Function</c>).</param>
/// <param name="SimplePath">For <c>a</c> or <c>a.b.c</c>: the names; lets the engine answer without JavaScript.</param>
/// <param name="SyntaxError">Why it does not parse as a single expression, or null.</param>
internal sealed record ExpressionInfo(
    string Code,
    ImmutableArray<string> FreeVariables,
    bool CanLoop,
    ImmutableArray<string>? SimplePath,
    string? SyntaxError);
