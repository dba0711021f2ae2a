namespace BatchOrchestrator.Language.Diagnostics;

/// <summary>A 1-based position in a workflow file, printed the way compilers do: <c>file:line:col</c>.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    /// <summary>For values that did not come from a file (session params, API input).</summary>
    public static SourceLocation None { get; } = new("<input>", 0, 0);

    public bool IsKnown => Line > 0;

    public override string ToString() => IsKnown ? $"{File}:{Line}:{Column}" : File;
}
