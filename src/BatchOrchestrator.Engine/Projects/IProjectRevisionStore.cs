namespace BatchOrchestrator.Engine.Projects;

/// <summary>
/// Keeps project revisions. <see cref="Load"/> is synchronous on purpose: orchestrator code reads
/// revisions (they are immutable, so that is deterministic) and may not await I/O.
/// </summary>
public interface IProjectRevisionStore
{
    /// <summary>Stores a revision; storing the same revision again changes nothing.</summary>
    Task SaveAsync(ProjectRevision revision, CancellationToken cancellationToken);

    /// <summary>The revision, or null when it is not stored.</summary>
    ProjectRevision? Load(string revisionId);
}
