using System.Collections.Concurrent;
using BatchOrchestrator.Engine.Projects;

namespace BatchOrchestrator.Storage.Files;

/// <summary>
/// Project revisions as folders under a root (<c>root/&lt;revision id&gt;/...</c>), written once through a
/// temporary folder and an atomic rename, so a reader never sees half a revision. Loads are cached:
/// a revision never changes.
/// </summary>
public sealed class FileProjectRevisionStore(string root) : IProjectRevisionStore
{
    private const string SourceFile = ".source";
    private readonly ConcurrentDictionary<string, ProjectRevision> _cache = new(StringComparer.Ordinal);

    public async Task SaveAsync(ProjectRevision revision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var target = Path.Combine(root, revision.Id);
        if (Directory.Exists(target))
        {
            return;
        }

        var temporary = Path.Combine(root, $".{revision.Id}.{Environment.ProcessId}.{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(temporary, SourceFile), $"{revision.Project}\n{revision.SourceDirectory}", cancellationToken);
            await revision.AsFiles().WriteToAsync(Path.Combine(temporary, "files"), cancellationToken);
            Directory.Move(temporary, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            // Another writer stored the same revision first: same id, same content.
            Directory.Delete(temporary, recursive: true);
        }
    }

    public ProjectRevision? Load(string revisionId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(revisionId);
        if (_cache.TryGetValue(revisionId, out var cached))
        {
            return cached;
        }

        var folder = Path.Combine(root, revisionId);
        if (revisionId.Contains('/', StringComparison.Ordinal) || revisionId.Contains('\\', StringComparison.Ordinal) || !Directory.Exists(folder))
        {
            return null;
        }

        var source = File.ReadAllText(Path.Combine(folder, SourceFile)).Split('\n', 2);
        var filesRoot = Path.Combine(folder, "files");
        var paths = Directory.Exists(filesRoot)
            ? Directory.EnumerateFiles(filesRoot, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(filesRoot, f).Replace('\\', '/'), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new ProjectFiles(
            paths.ToDictionary(p => p.Key, p => File.ReadAllBytes(p.Value), StringComparer.Ordinal),
            paths.Where(p => ProjectFiles.IsExecutable(p.Value)).Select(p => p.Key).ToHashSet(StringComparer.Ordinal));
        var revision = ProjectRevision.Create(source[0], source.Length > 1 ? source[1] : string.Empty, files);
        if (revision.Id != revisionId)
        {
            throw new InvalidDataException($"project revision {revisionId} is damaged: its files hash to {revision.Id}");
        }

        return _cache.GetOrAdd(revisionId, revision);
    }

    // Local files: reading them synchronously costs less than the thread hops of async reads.
    public Task<ProjectRevision?> LoadAsync(string revisionId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Load(revisionId));
    }
}
