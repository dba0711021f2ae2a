namespace BatchOrchestrator.Engine.Projects;

/// <summary>
/// A host's fixed projects (folders it was given or deployed with) together with the projects
/// pushed to it. A name served by the fixed side is that project wherever else it appears, and
/// pushing to it is refused (<see cref="NotSupportedException"/>, answered 405), so a push can
/// never hide a deployed project on one instance and not on another.
/// </summary>
public sealed class CombinedProjectRepository(IProjectRepository fixedProjects, IProjectRepository pushed) : IProjectRepository
{
    public async Task<IReadOnlyList<ProjectRevision>> GetCurrentRevisionsAsync(CancellationToken cancellationToken)
    {
        var fixedRevisions = await fixedProjects.GetCurrentRevisionsAsync(cancellationToken);
        var fixedNames = fixedRevisions.Select(r => r.Project).ToHashSet(StringComparer.Ordinal);
        var pushedRevisions = (await pushed.GetCurrentRevisionsAsync(cancellationToken)).Where(r => !fixedNames.Contains(r.Project));
        return [.. fixedRevisions.Concat(pushedRevisions).OrderBy(r => r.Project, StringComparer.Ordinal)];
    }

    public async Task<ProjectRevision?> GetCurrentRevisionAsync(string project, CancellationToken cancellationToken) =>
        await fixedProjects.GetCurrentRevisionAsync(project, cancellationToken)
            ?? await pushed.GetCurrentRevisionAsync(project, cancellationToken);

    public async Task<IReadOnlyList<ProjectRevisionEntry>> GetRevisionsAsync(string project, CancellationToken cancellationToken)
    {
        var fixedHistory = await fixedProjects.GetRevisionsAsync(project, cancellationToken);
        return fixedHistory.Count > 0 ? fixedHistory : await pushed.GetRevisionsAsync(project, cancellationToken);
    }

    public async Task<ProjectRevision> PushAsync(string project, IReadOnlyDictionary<string, byte[]> files, CancellationToken cancellationToken)
    {
        if (await fixedProjects.GetCurrentRevisionAsync(project, cancellationToken) is not null)
        {
            throw new NotSupportedException($"project '{project}' is one of the projects this host was started or deployed with, which pushes cannot change; push under another name");
        }

        return await pushed.PushAsync(project, files, cancellationToken);
    }

    public async Task<bool> DeleteAsync(string project, CancellationToken cancellationToken)
    {
        if (await fixedProjects.GetCurrentRevisionAsync(project, cancellationToken) is not null)
        {
            throw new NotSupportedException($"project '{project}' is one of the projects this host was started or deployed with, which only its folder or deployment removes");
        }

        return await pushed.DeleteAsync(project, cancellationToken);
    }
}
