using BatchOrchestrator.Engine.Projects;

namespace BatchOrchestrator.Functions.Composition;

/// <summary>
/// The project that ships with the app: its <c>workflows/</c> folder, which a deployment never
/// changes, snapshotted once as a revision and stored so attempts and the scheduler load it by id.
/// Pushing revisions is refused: they would land on one instance's disk only (see
/// docs/deploy-azure.md); a new deployment is how the app gets new workflows.
/// </summary>
internal sealed class AppWorkflowsCatalog(string projectName, string directory, IProjectRevisionStore revisions, TimeProvider clock) : IProjectRepository
{
    private readonly Lazy<Task<(ProjectRevision Revision, DateTimeOffset At)>> _revision = new(async () =>
    {
        var revision = await ProjectRevision.FromDirectoryAsync(projectName, directory, CancellationToken.None);
        await revisions.SaveAsync(revision, CancellationToken.None);
        return (revision, clock.GetUtcNow());
    });

    public async Task<IReadOnlyList<ProjectRevision>> GetCurrentRevisionsAsync(CancellationToken cancellationToken) =>
        [(await _revision.Value.WaitAsync(cancellationToken)).Revision];

    public async Task<ProjectRevision?> GetCurrentRevisionAsync(string project, CancellationToken cancellationToken) =>
        Serves(project) ? (await _revision.Value.WaitAsync(cancellationToken)).Revision : null;

    public async Task<IReadOnlyList<ProjectRevisionEntry>> GetRevisionsAsync(string project, CancellationToken cancellationToken)
    {
        if (!Serves(project))
        {
            return [];
        }

        var (revision, at) = await _revision.Value.WaitAsync(cancellationToken);
        return [new ProjectRevisionEntry(revision.Id, at, "folder")];
    }

    public Task<ProjectRevision> PushAsync(string project, IReadOnlyDictionary<string, byte[]> files, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"This app serves the workflows it was deployed with ({projectName}); deploy again (azd deploy) to change them.");

    private bool Serves(string project) => string.Equals(project, projectName, StringComparison.Ordinal);
}
