namespace BatchOrchestrator.Language.Templating;

/// <summary>
/// Sandbox limits of <see cref="TemplateEngine"/>. Templates never get CLR access, whatever the options.
/// The defaults stop an endless loop in well under a second.
/// </summary>
public sealed record TemplateEngineOptions
{
    /// <summary>The defaults.</summary>
    public static TemplateEngineOptions Default { get; } = new();

    /// <summary>
    /// Longest time one <c>${...}</c> may run (checked between JavaScript statements, so one long native
    /// call such as joining a huge array is not interrupted). Default 200 ms.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Most JavaScript statements one <c>${...}</c> may execute. Default 100,000.</summary>
    public int MaxStatements { get; init; } = 100_000;

    /// <summary>Deepest JavaScript call nesting. Default 64.</summary>
    public int MaxRecursionDepth { get; init; } = 64;

    /// <summary>
    /// Most bytes one <c>${...}</c> may allocate, or null for no limit. Jint 2.10.4 has no memory limit of
    /// its own, so this is enforced between statements from the thread's allocation counter, and only for
    /// expressions that can loop (function literals, <c>eval</c>, <c>Function</c>): a plain expression has
    /// no loops, so it is bounded by its own size and runs without the per-statement check. The counter
    /// includes the interpreter's own allocations. Default 64 MiB.
    /// </summary>
    public long? MaxAllocatedBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Longest expression accepted inside one <c>${...}</c>, in characters. Default 10,000.</summary>
    public int MaxExpressionLength { get; init; } = 10_000;

    /// <summary>
    /// Deepest nesting of brackets in an expression. The parser is recursive, so this keeps a hostile
    /// <c>((((...))))</c> from overflowing the host's stack. Default 200.
    /// </summary>
    public int MaxNestingDepth { get; init; } = 200;

    /// <summary>How many parsed expressions the engine remembers. Default 4,096.</summary>
    public int ExpressionCacheSize { get; init; } = 4096;
}
