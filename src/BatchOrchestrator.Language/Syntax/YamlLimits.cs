namespace BatchOrchestrator.Language.Syntax;

/// <summary>
/// Bounds that keep a hostile or broken file from exhausting time or memory: a check of any
/// file finishes quickly with a clear message instead of hanging or crashing the host.
/// </summary>
public sealed record YamlLimits
{
    public static YamlLimits Default { get; } = new();

    /// <summary>
    /// Largest file accepted. A 100,000-task workflow is 4 MB when every task is a one-line
    /// <c>sh>: echo n</c>, and about 10 MB with realistic commands, groups and options
    /// (bench/: 10.4 MB), so workflows that large must be split with <c>!include</c> or <c>call></c>.
    /// Reading stays linear in the size: about 1.5 s for 10 MB.
    /// </summary>
    public long MaxFileBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Deepest nesting of mappings and lists; real workflows stay far below it.</summary>
    public int MaxDepth { get; init; } = 256;

    /// <summary>Most nodes a file may expand to, counting every alias expansion (stops "billion laughs").</summary>
    public long MaxNodes { get; init; } = 2_000_000;

    /// <summary>Longest chain of nested <c>!include</c>s.</summary>
    public int MaxIncludeDepth { get; init; } = 32;
}
