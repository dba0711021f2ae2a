using System.Collections.Immutable;
using Acornima.Ast;
using Jint;

namespace BatchOrchestrator.Language.Templating;

/// <summary>What static analysis learned about one expression; immutable, so it is safe to cache and share.</summary>
/// <param name="Code">The expression text.</param>
/// <param name="FreeVariables">Identifiers it reads from the global scope, in order of first use, JavaScript globals included.</param>
/// <param name="SimplePath">For <c>a</c> or <c>a.b.c</c>: the names; lets the engine answer without JavaScript.</param>
/// <param name="Script">The expression parsed and prepared for Jint once, run by every engine that evaluates it; null when invalid.</param>
/// <param name="SyntaxError">Why it does not parse as a single ES5 expression, or null.</param>
internal sealed record ExpressionInfo(
    string Code,
    ImmutableArray<string> FreeVariables,
    ImmutableArray<string>? SimplePath,
    Prepared<Script>? Script,
    string? SyntaxError);
