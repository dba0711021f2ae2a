namespace BatchOrchestrator.Engine.Projects;

/// <summary>
/// Keeps project revisions. Orchestrator code never reads it: the
/// <see cref="Workflows.Activities.ActivityNames.LoadWorkflow"/> activity does, and hands the
/// orchestrator the workflow's files.
/// </summary>
public interface IProjectRevisionStore
{
    /// <summary>Stores a revision; storing the same revision again changes nothing.</summary>
    Task SaveAsync(ProjectRevision revision, CancellationToken cancellationToken);

    /// <summary>The revision, or null when it is not stored.</summary>
    ProjectRevision? Load(string revisionId);

    /// <summary>The revision, or null when it is not stored; a failure to reach the store throws (it may be transient).</summary>
    Task<ProjectRevision?> LoadAsync(string revisionId, CancellationToken cancellationToken);
}
