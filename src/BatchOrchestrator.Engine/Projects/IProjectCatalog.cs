namespace BatchOrchestrator.Engine.Projects;

/// <summary>
/// The projects a host serves and the revision of each that new sessions use: the HTTP API lists
/// and pushes them, the scheduler reads their schedules. Locally a project is a folder (its files
/// snapshotted as a new revision when they change) or a revision pushed over the API; on Azure,
/// the app's <c>workflows/</c> folder and revisions pushed to Blob storage.
/// </summary>
public interface IProjectCatalog
{
    /// <summary>Every project's current revision, by project name.</summary>
    Task<IReadOnlyList<ProjectRevision>> GetCurrentRevisionsAsync(CancellationToken cancellationToken);

    /// <summary>A project's current revision, or null when there is no such project.</summary>
    Task<ProjectRevision?> GetCurrentRevisionAsync(string project, CancellationToken cancellationToken);
}
