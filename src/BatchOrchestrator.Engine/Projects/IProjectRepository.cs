namespace BatchOrchestrator.Engine.Projects;

/// <summary>
/// A catalog that also keeps each project's history and takes pushed revisions (the API's
/// <c>PUT /api/projects/{project}</c>).
/// </summary>
public interface IProjectRepository : IProjectCatalog
{
    /// <summary>The project's revisions, newest first; empty when there is no such project.</summary>
    Task<IReadOnlyList<ProjectRevisionEntry>> GetRevisionsAsync(string project, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the files of a project (paths relative to its folder, '/'-separated, already checked
    /// to stay inside it) as its new current revision. Pushing the same files again changes nothing
    /// but the revision's place as the current one.
    /// </summary>
    /// <exception cref="NotSupportedException">The host serves only the projects it was deployed with (the API answers 405).</exception>
    Task<ProjectRevision> PushAsync(string project, IReadOnlyDictionary<string, byte[]> files, CancellationToken cancellationToken);

    /// <summary>
    /// Takes a pushed project out of the catalog: it no longer lists, starts or schedules (schedules
    /// are read from the catalog). Its revisions stay stored, so past sessions still show their
    /// workflows; pushing the name again makes it a project anew.
    /// </summary>
    /// <returns>False when there is no such project.</returns>
    /// <exception cref="NotSupportedException">A project the host was started or deployed with, or a host that cannot delete (the API answers 405).</exception>
    Task<bool> DeleteAsync(string project, CancellationToken cancellationToken);
}

/// <summary>
/// One entry in a project's history: when a revision became current, and how (<c>folder</c> or
/// <c>push</c>); or, with <see cref="DeletedSource"/>, when the project was deleted.
/// </summary>
public sealed record ProjectRevisionEntry(string Revision, DateTimeOffset CreatedAt, string Source)
{
    /// <summary>The source of the entry that takes a project out of the catalog; a later push brings it back.</summary>
    public const string DeletedSource = "delete";

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsDeletion => Source == DeletedSource;

    /// <summary>The entries since the project was last deleted (all of them if never): the project as it now is.</summary>
    public static IReadOnlyList<ProjectRevisionEntry> Live(IReadOnlyList<ProjectRevisionEntry> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var since = 0;
        for (var i = 0; i < history.Count; i++)
        {
            if (history[i].IsDeletion)
            {
                since = i + 1;
            }
        }

        return [.. history.Skip(since)];
    }
}
