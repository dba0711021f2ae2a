namespace BatchOrchestrator.Engine.Stores;

/// <summary>
/// Which sessions to list, newest first (in the order they were first written, as Digdag lists
/// them by id). <see cref="ContinuationToken"/> is the opaque token of the previous page.
/// </summary>
public sealed record SessionQuery
{
    /// <summary>Only this project's sessions; null for every project.</summary>
    public string? Project { get; init; }

    /// <summary>Only this workflow's sessions (of <see cref="Project"/>); null for every workflow.</summary>
    public string? Workflow { get; init; }

    public int PageSize { get; init; } = 100;

    public string? ContinuationToken { get; init; }
}
