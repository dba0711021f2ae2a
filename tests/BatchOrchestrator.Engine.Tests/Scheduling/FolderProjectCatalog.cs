using BatchOrchestrator.Engine.Projects;

namespace BatchOrchestrator.Engine.Tests.Scheduling;

/// <summary>A catalog of project folders whose current revision is their files as they are now (what the local server serves).</summary>
internal sealed class FolderProjectCatalog(params string[] directories) : IProjectCatalog
{
    public async Task<IReadOnlyList<ProjectRevision>> GetCurrentRevisionsAsync(CancellationToken cancellationToken)
    {
        var revisions = new List<ProjectRevision>();
        foreach (var directory in directories)
        {
            revisions.Add(await ProjectRevision.FromDirectoryAsync(new DirectoryInfo(directory).Name, directory, cancellationToken));
        }

        return revisions;
    }

    public async Task<ProjectRevision?> GetCurrentRevisionAsync(string project, CancellationToken cancellationToken) =>
        (await GetCurrentRevisionsAsync(cancellationToken)).FirstOrDefault(r => r.Project == project);
}
