namespace BatchOrchestrator.Engine.Projects;

/// <summary>
/// The one project of a local command: a folder whose current revision is its workflow files as
/// they are now, named after the folder (as <c>bo run</c> names it).
/// </summary>
public sealed class ProjectFolderCatalog(string directory) : IProjectCatalog
{
    public string Name { get; } = new DirectoryInfo(directory).Name;

    public async Task<IReadOnlyList<ProjectRevision>> GetCurrentRevisionsAsync(CancellationToken cancellationToken) =>
        [await ProjectRevision.FromDirectoryAsync(Name, directory, cancellationToken)];

    public async Task<ProjectRevision?> GetCurrentRevisionAsync(string project, CancellationToken cancellationToken) =>
        project == Name ? await ProjectRevision.FromDirectoryAsync(Name, directory, cancellationToken) : null;
}
