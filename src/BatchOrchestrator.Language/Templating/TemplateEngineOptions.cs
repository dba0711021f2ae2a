namespace BatchOrchestrator.Language.Templating;

/// <summary>
/// Sandbox limits of <see cref="TemplateEngine"/>. Templates never get CLR access, whatever the options.
/// </summary>
/// <remarks>
/// A template is bounded first by budgets that do not depend on the machine — statements, call depth,
/// array length, bytes allocated — so a template that goes over one fails the same way on every run and
/// every replay of an orchestration. Time limits (<see cref="Timeout"/>, <see cref="RegexTimeout"/>) are
/// only the outer guard, for work no budget counts (one long native call, a backtracking regex); they are
/// far above what any real template takes, and <see cref="Timeout"/> counts the evaluating thread's CPU
/// time, so load on the host does not make it bite.
/// </remarks>
public sealed record TemplateEngineOptions
{
    /// <summary>The defaults.</summary>
    public static TemplateEngineOptions Default { get; } = new();

    /// <summary>
    /// Most CPU time one <c>${...}</c> may use (wall-clock time where the platform has no per-thread CPU
    /// clock), checked inside long built-in calls too (joining, sorting, stringifying). The outer guard: the
    /// budgets below stop runaway templates first. Default 1 s.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longest time one match of a template's own regular expression may run (a backtracking pattern such as
    /// <c>/^(a+)+$/</c>): wall-clock time, the only clock .NET's regex engine has. Default 1 s.
    /// </summary>
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Most JavaScript statements one <c>${...}</c> may execute. Default 100,000.</summary>
    public int MaxStatements { get; init; } = 100_000;

    /// <summary>Deepest JavaScript call nesting. Default 64.</summary>
    public int MaxRecursionDepth { get; init; } = 64;

    /// <summary>Longest JavaScript array one <c>${...}</c> may create (<c>new Array(n)</c> included). Default 1,000,000.</summary>
    public uint MaxArrayLength { get; init; } = 1_000_000;

    /// <summary>
    /// Most bytes one <c>${...}</c> may allocate (strings, arrays, objects and the interpreter's own work
    /// for them), counted by Jint's memory constraint. Default 32 MiB.
    /// </summary>
    public long MaxAllocatedBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Longest expression accepted inside one <c>${...}</c>, in characters. Default 10,000.</summary>
    public int MaxExpressionLength { get; init; } = 10_000;

    /// <summary>
    /// Deepest nesting of brackets in an expression. The parser is recursive, so this keeps a hostile
    /// <c>((((...))))</c> from overflowing the host's stack. Default 200.
    /// </summary>
    public int MaxNestingDepth { get; init; } = 200;

    /// <summary>How many parsed expressions the engine remembers. Default 4,096.</summary>
    public int ExpressionCacheSize { get; init; } = 4096;

    /// <summary>
    /// What <c>moment()</c> and <c>new Date()</c> read as "now" when a render call does not give its own
    /// instant. Orchestrator code gives the orchestration's time instead, so replays see the same "now".
    /// Default: the system clock.
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
