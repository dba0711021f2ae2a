using BatchOrchestrator.Engine.Json;
using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Storage.Blobs;
using BatchOrchestrator.Engine.Projects;

namespace BatchOrchestrator.Storage.Blob.Projects;

/// <summary>
/// Project revisions in Blob storage, for hosts with several instances (the Functions app):
/// one JSON blob per revision (<c>{prefix}revisions/{id}.json</c>), written once and never
/// changed, so any instance can load any revision. Each instance keeps a local cache folder:
/// <c>{id}.json</c> (the revision as this instance knows it, including where its scripts run) and,
/// for revisions pushed rather than snapshotted from a folder, <c>{id}/</c> with the files
/// unpacked for scripts to run in. Both appear through a temporary name and an atomic rename, so a
/// reader never sees half a revision, and two instances (or threads) materialising the same
/// revision at once both end with the same content.
/// </summary>
public sealed class BlobProjectRevisionStore : IProjectRevisionStore
{
    private readonly BlobContainerClient _container;
    private readonly string _folder;
    private readonly string _cache;
    private readonly ConcurrentDictionary<string, ProjectRevision> _loaded = new(StringComparer.Ordinal);

    /// <param name="container">The container of the revisions (created on first write).</param>
    /// <param name="prefix">A folder inside it, or empty.</param>
    /// <param name="cacheDirectory">This instance's cache folder (local disk; it need not survive a restart).</param>
    public BlobProjectRevisionStore(BlobContainerClient container, string prefix, string cacheDirectory)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheDirectory);
        _container = container;
        _folder = BlobDocuments.Folder(prefix ?? "");
        _cache = Path.GetFullPath(cacheDirectory);
    }

    /// <summary>Where a pushed revision's files are unpacked on this instance (its <see cref="ProjectRevision.SourceDirectory"/>).</summary>
    public string FolderFor(string revisionId) => Path.Combine(_cache, revisionId);

    public async Task SaveAsync(ProjectRevision revision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revision);

        // Locally first: this instance runs what it stores (often straight away) without a download.
        await CacheAsync(revision, cancellationToken);

        // Content-addressed, so an existing blob already holds exactly these files: it is left as it is.
        await BlobDocuments.TryReplaceAsync(RevisionBlob(revision.Id), StoredRevision.Of(revision, sourceDirectory: null), version: null, cancellationToken);
        _loaded.TryAdd(revision.Id, revision);
    }

    /// <summary>
    /// The revision from memory, this instance's cache, or Blob storage (cached from then on).
    /// Synchronous for callers that cannot await (orchestrator code never calls it: the
    /// LoadWorkflow activity awaits <see cref="LoadAsync"/>); the one download per revision and
    /// instance runs on the thread pool, away from whatever context the caller holds.
    /// </summary>
    public ProjectRevision? Load(string revisionId) =>
        _loaded.TryGetValue(revisionId, out var loaded)
            ? loaded
            : Task.Run(() => LoadAsync(revisionId, CancellationToken.None)).GetAwaiter().GetResult();

    /// <summary>The revision, or null when no instance stored it.</summary>
    /// <exception cref="InvalidDataException">The stored files do not hash to the id.</exception>
    public async Task<ProjectRevision?> LoadAsync(string revisionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(revisionId);
        if (_loaded.TryGetValue(revisionId, out var loaded))
        {
            return loaded;
        }

        // Ids are hex hashes; anything else names no revision (and never a path outside the cache).
        if (!revisionId.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var local = Path.Combine(_cache, revisionId + ".json");
        ProjectRevision? revision;
        if (File.Exists(local))
        {
            await using var file = File.OpenRead(local);
            revision = (await JsonSerializer.DeserializeAsync(file, BlobDocuments.Json.TypeInfo<StoredRevision>(), cancellationToken))?.ToRevision(FolderFor(revisionId));
        }
        else
        {
            var (stored, _) = await BlobDocuments.ReadAsync<StoredRevision>(RevisionBlob(revisionId), cancellationToken);
            revision = stored?.ToRevision(FolderFor(revisionId));
        }

        if (revision is null)
        {
            return null;
        }

        if (revision.Id != revisionId)
        {
            throw new InvalidDataException($"project revision {revisionId} is damaged: its files hash to {revision.Id}");
        }

        // Also when the record was there: the unpacked folder may have been cleaned away since (a temporary folder).
        await CacheAsync(revision, cancellationToken);
        return _loaded.GetOrAdd(revisionId, revision);
    }

    /// <summary>Writes the local record (and the unpacked folder of a pushed revision) unless this instance has them.</summary>
    private async Task CacheAsync(ProjectRevision revision, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_cache);
        var folder = FolderFor(revision.Id);
        if (revision.SourceDirectory == folder && !Directory.Exists(folder))
        {
            var temporary = Temporary(folder);
            try
            {
                await revision.AsFiles().WriteToAsync(temporary, cancellationToken);
                Directory.CreateDirectory(temporary);
                Directory.Move(temporary, folder);
            }
            catch (IOException) when (Directory.Exists(folder))
            {
                // Another thread or process unpacked the same revision first: same id, same files.
                Directory.Delete(temporary, recursive: true);
            }
        }

        var record = Path.Combine(_cache, revision.Id + ".json");
        if (!File.Exists(record))
        {
            var temporary = Temporary(record);
            await using (var file = File.Create(temporary))
            {
                await JsonSerializer.SerializeAsync(file, StoredRevision.Of(revision, revision.SourceDirectory == folder ? null : revision.SourceDirectory), BlobDocuments.Json.TypeInfo<StoredRevision>(), cancellationToken);
            }

            File.Move(temporary, record, overwrite: true);
        }
    }

    private static string Temporary(string path) => $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";

    private BlobClient RevisionBlob(string revisionId) => _container.GetBlobClient($"{_folder}revisions/{revisionId}.json");

    /// <summary>
    /// A revision as stored: its project and files, and where its scripts run when that is a
    /// folder of this instance's own (a project folder); null means the unpacked cache folder.
    /// Blobs never carry a folder: it means nothing on another instance. <c>Executables</c> (the
    /// executable files' paths) is absent in a record with none, as in records written before
    /// modes were kept.
    /// </summary>
    internal sealed record StoredRevision(string Project, string? SourceDirectory, SortedDictionary<string, byte[]> Files, IReadOnlyList<string>? Executables = null)
    {
        public static StoredRevision Of(ProjectRevision revision, string? sourceDirectory) =>
            new(revision.Project, sourceDirectory, new SortedDictionary<string, byte[]>(revision.Files.ToDictionary(), StringComparer.Ordinal),
                revision.Executables.Count == 0 ? null : [.. revision.Executables]);

        public ProjectRevision ToRevision(string unpackedFolder) =>
            ProjectRevision.Create(Project, SourceDirectory ?? unpackedFolder, new ProjectFiles(Files, (Executables ?? []).ToHashSet(StringComparer.Ordinal)));
    }
}
