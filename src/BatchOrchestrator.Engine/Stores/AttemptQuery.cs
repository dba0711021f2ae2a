namespace BatchOrchestrator.Engine.Stores;

/// <summary>
/// Which attempts to list, newest first, across sessions. <see cref="ContinuationToken"/> is the
/// opaque token of the previous page; a store refuses one it did not make (ArgumentException).
/// </summary>
public sealed record AttemptQuery
{
    /// <summary>Only this project's attempts; null for every project.</summary>
    public string? Project { get; init; }

    /// <summary>Only this workflow's attempts (of <see cref="Project"/>); null for every workflow.</summary>
    public string? Workflow { get; init; }

    /// <summary>Only attempts in this status; null for any.</summary>
    public AttemptStatus? Status { get; init; }

    public int PageSize { get; init; } = 100;

    public string? ContinuationToken { get; init; }
}
