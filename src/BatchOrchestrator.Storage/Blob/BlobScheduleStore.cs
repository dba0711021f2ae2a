using Azure.Storage.Blobs;
using BatchOrchestrator.Engine.Scheduling;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Storage.Blob;

/// <summary>
/// The schedule store on Blob storage (for hosts on Azure): one JSON blob per scheduled workflow
/// (<c>schedules/{project}/{workflow}.json</c>) and one per backfill
/// (<c>backfills/{project}/{workflow}/{name}.json</c>), names URL-escaped, under the prefix. A write
/// is a compare-and-set twice over: the stored <c>Version</c> must be the one the writer read, and
/// the upload is conditional on the blob's ETag at that read (or on there being no blob), so of
/// two schedulers on any hosts that read the same version, exactly one write lands.
/// </summary>
public sealed class BlobScheduleStore(BlobContainerClient container, string prefix = "") : IScheduleStore
{
    private readonly string _folder = BlobDocuments.Folder(prefix);

    public async Task<IReadOnlyList<ScheduleState>> ListAsync(CancellationToken cancellationToken) =>
        (await BlobDocuments.ReadAllAsync<ScheduleState>(container, _folder + "schedules/", cancellationToken))
            .OrderBy(s => s.Project, StringComparer.Ordinal).ThenBy(s => s.Workflow, StringComparer.Ordinal).ToList();

    public async Task<ScheduleState?> GetAsync(string project, string workflow, CancellationToken cancellationToken) =>
        (await BlobDocuments.ReadAsync<ScheduleState>(StateBlob(project, workflow), cancellationToken)).Document;

    public Task<ScheduleState?> TryWriteAsync(ScheduleState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        return TryWriteAsync(StateBlob(state.Project, state.Workflow), state.Version, s => s.Version, state with { Version = state.Version + 1 }, cancellationToken);
    }

    public async Task<IReadOnlyList<BackfillState>> ListBackfillsAsync(bool activeOnly, CancellationToken cancellationToken) =>
        (await BlobDocuments.ReadAllAsync<BackfillState>(container, _folder + "backfills/", cancellationToken))
            .Where(b => !activeOnly || !b.IsFinished)
            .OrderBy(b => b.CreatedAt).ThenBy(b => b.Name, StringComparer.Ordinal).ToList();

    public async Task<BackfillState?> GetBackfillAsync(string project, string workflow, string name, CancellationToken cancellationToken) =>
        (await BlobDocuments.ReadAsync<BackfillState>(BackfillBlob(project, workflow, name), cancellationToken)).Document;

    public Task<BackfillState?> TryWriteBackfillAsync(BackfillState backfill, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backfill);
        return TryWriteAsync(
            BackfillBlob(backfill.Project, backfill.Workflow, backfill.Name), backfill.Version, b => b.Version, backfill with { Version = backfill.Version + 1 }, cancellationToken);
    }

    /// <summary>Writes <paramref name="next"/> when the stored version is <paramref name="expected"/> (0: none stored) and nobody writes between.</summary>
    private static async Task<T?> TryWriteAsync<T>(
        BlobClient blob, long expected, Func<T, long> versionOf, T next, CancellationToken cancellationToken)
        where T : class
    {
        var (stored, etag) = await BlobDocuments.ReadAsync<T>(blob, cancellationToken);
        if ((stored is null ? 0 : versionOf(stored)) != expected)
        {
            return null;
        }

        return await BlobDocuments.TryReplaceAsync(blob, next, etag, cancellationToken) ? next : null;
    }

    private BlobClient StateBlob(string project, string workflow) =>
        container.GetBlobClient($"{_folder}schedules/{Escape(project)}/{Escape(workflow)}.json");

    private BlobClient BackfillBlob(string project, string workflow, string name) =>
        container.GetBlobClient($"{_folder}backfills/{Escape(project)}/{Escape(workflow)}/{Escape(name)}.json");

    private static string Escape(string name) => Uri.EscapeDataString(name ?? throw new ArgumentNullException(nameof(name)));
}
