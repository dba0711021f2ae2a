using BatchOrchestrator.Engine.Projects;

namespace BatchOrchestrator.Functions.Composition;

/// <summary>
/// The project that ships with the app: its <c>workflows/</c> folder, which a deployment never
/// changes, snapshotted once as a revision and stored so attempts and the scheduler load it by id.
/// </summary>
internal sealed class AppWorkflowsCatalog(string projectName, string directory, IProjectRevisionStore revisions) : IProjectCatalog
{
    private readonly Lazy<Task<ProjectRevision>> _revision = new(async () =>
    {
        var revision = await ProjectRevision.FromDirectoryAsync(projectName, directory, CancellationToken.None);
        await revisions.SaveAsync(revision, CancellationToken.None);
        return revision;
    });

    public async Task<IReadOnlyList<ProjectRevision>> GetCurrentRevisionsAsync(CancellationToken cancellationToken) =>
        [await _revision.Value.WaitAsync(cancellationToken)];

    public async Task<ProjectRevision?> GetCurrentRevisionAsync(string project, CancellationToken cancellationToken) =>
        string.Equals(project, projectName, StringComparison.Ordinal) ? await _revision.Value.WaitAsync(cancellationToken) : null;
}
