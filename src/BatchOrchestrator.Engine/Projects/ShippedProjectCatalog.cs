namespace BatchOrchestrator.Engine.Projects;

/// <summary>
/// A project deployed with its host (the Functions app's <c>workflows/</c> folder), which a
/// deployment never changes: snapshotted once as a revision and stored, so attempts and the
/// scheduler load it by id. It takes no pushes: a new deployment is how it changes.
/// </summary>
public sealed class ShippedProjectCatalog(string projectName, string directory, IProjectRevisionStore revisions, TimeProvider clock) : IProjectRepository
{
    private readonly Lazy<Task<(ProjectRevision Revision, DateTimeOffset At)>> _snapshot = new(async () =>
    {
        var revision = await ProjectRevision.FromDirectoryAsync(projectName, directory, CancellationToken.None);
        await revisions.SaveAsync(revision, CancellationToken.None);
        return (revision, clock.GetUtcNow());
    });

    public async Task<IReadOnlyList<ProjectRevision>> GetCurrentRevisionsAsync(CancellationToken cancellationToken) =>
        [await CurrentAsync(cancellationToken)];

    public async Task<ProjectRevision?> GetCurrentRevisionAsync(string project, CancellationToken cancellationToken) =>
        Serves(project) ? await CurrentAsync(cancellationToken) : null;

    public async Task<IReadOnlyList<ProjectRevisionEntry>> GetRevisionsAsync(string project, CancellationToken cancellationToken) =>
        Serves(project) && await _snapshot.Value.WaitAsync(cancellationToken) is var (revision, at)
            ? [new ProjectRevisionEntry(revision.Id, at, "folder")]
            : [];

    public Task<ProjectRevision> PushAsync(string project, IReadOnlyDictionary<string, byte[]> files, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"project '{projectName}' ships with the app and changes only with a new deployment (azd deploy); push under another name");

    public Task<bool> DeleteAsync(string project, CancellationToken cancellationToken) => Serves(project)
        ? throw new NotSupportedException($"project '{projectName}' ships with the app; only a new deployment removes it")
        : Task.FromResult(false);

    /// <summary>The snapshot, taken on first use (a host takes it at start-up, before any attempt may need it).</summary>
    public async Task<ProjectRevision> CurrentAsync(CancellationToken cancellationToken) =>
        (await _snapshot.Value.WaitAsync(cancellationToken)).Revision;

    private bool Serves(string project) => string.Equals(project, projectName, StringComparison.Ordinal);
}
