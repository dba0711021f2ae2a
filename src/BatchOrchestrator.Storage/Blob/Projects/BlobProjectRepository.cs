using Azure.Storage.Blobs;
using BatchOrchestrator.Engine.Projects;

namespace BatchOrchestrator.Storage.Blob.Projects;

/// <summary>
/// Projects pushed to Blob storage (the API's <c>PUT /api/projects/{project}</c> on a host with
/// several instances): revisions in a <see cref="BlobProjectRevisionStore"/>, and per project one
/// JSON blob (<c>{prefix}projects/{project}.json</c>) with its history, whose last entry is the
/// current revision. A push stores the revision first and then appends to the history with a
/// write conditional on the ETag it read; a push that lost the race to another instance reads
/// again and appends after it, so concurrent pushes all land in the history, and the current
/// revision is always one whose files are stored.
/// </summary>
public sealed class BlobProjectRepository(BlobContainerClient container, string prefix, BlobProjectRevisionStore revisions, TimeProvider clock) : IProjectRepository
{
    private readonly string _folder = BlobDocuments.Folder(prefix ?? "");

    public async Task<IReadOnlyList<ProjectRevision>> GetCurrentRevisionsAsync(CancellationToken cancellationToken)
    {
        var result = new List<ProjectRevision>();
        foreach (var history in await BlobDocuments.ReadAllAsync<ProjectHistory>(container, _folder + "projects/", cancellationToken))
        {
            if (history.Revisions is [.., { IsDeletion: false }] && await revisions.LoadAsync(history.Revisions[^1].Revision, cancellationToken) is { } revision)
            {
                result.Add(revision);
            }
        }

        return [.. result.OrderBy(r => r.Project, StringComparer.Ordinal)];
    }

    public async Task<ProjectRevision?> GetCurrentRevisionAsync(string project, CancellationToken cancellationToken) =>
        await ReadAsync(project, cancellationToken) is { Revisions: [.., { IsDeletion: false } current] }
            ? await revisions.LoadAsync(current.Revision, cancellationToken)
            : null;

    public async Task<IReadOnlyList<ProjectRevisionEntry>> GetRevisionsAsync(string project, CancellationToken cancellationToken) =>
        await ReadAsync(project, cancellationToken) is { } history ? [.. ProjectRevisionEntry.Live(history.Revisions).Reverse()] : [];

    public async Task<ProjectRevision> PushAsync(string project, ProjectFiles files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (ProjectNames.Problem(project) is { } problem)
        {
            throw new ArgumentException(problem, nameof(project));
        }

        // The id does not depend on the folder, so the hashed revision names the folder it unpacks to.
        var pushed = ProjectRevision.Create(project, ".", files);
        var revision = pushed.InFolder(revisions.FolderFor(pushed.Id));
        await revisions.SaveAsync(revision, cancellationToken);
        var entry = new ProjectRevisionEntry(revision.Id, clock.GetUtcNow(), "push");
        await BlobDocuments.UpdateAsync<ProjectHistory, bool>(
            HistoryBlob(project),
            stored => (new ProjectHistory(project, [.. stored?.Revisions ?? [], entry]), true),
            cancellationToken);
        return revision;
    }

    /// <summary>Appends a deletion to the history, by the same conditional write a push uses; the revisions stay for past sessions.</summary>
    public async Task<bool> DeleteAsync(string project, CancellationToken cancellationToken)
    {
        if (!ProjectNames.IsValid(project))
        {
            return false;
        }

        return await BlobDocuments.UpdateAsync<ProjectHistory, bool>(
            HistoryBlob(project),
            stored => stored?.Revisions is [.., { IsDeletion: false } current]
                ? (new ProjectHistory(project, [.. stored.Revisions, new ProjectRevisionEntry(current.Revision, clock.GetUtcNow(), ProjectRevisionEntry.DeletedSource)]), true)
                : (null, false),
            cancellationToken);
    }

    private async Task<ProjectHistory?> ReadAsync(string project, CancellationToken cancellationToken) =>
        ProjectNames.IsValid(project) ? (await BlobDocuments.ReadAsync<ProjectHistory>(HistoryBlob(project), cancellationToken)).Document : null;

    // Valid project names are single safe path segments, so they need no escaping.
    private BlobClient HistoryBlob(string project) => container.GetBlobClient($"{_folder}projects/{project}.json");

    /// <summary>A project's revisions in the order they became current (the last one is current).</summary>
    internal sealed record ProjectHistory(string Project, IReadOnlyList<ProjectRevisionEntry> Revisions);
}
