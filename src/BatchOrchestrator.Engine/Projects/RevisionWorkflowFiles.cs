using BatchOrchestrator.Language.Syntax;

namespace BatchOrchestrator.Engine.Projects;

/// <summary>Workflow files read from a revision, so includes resolve within the snapshot, not the live folder.</summary>
public sealed class RevisionWorkflowFiles(ProjectRevision revision) : IWorkflowFiles
{
    public Task<long?> GetSizeAsync(string path, CancellationToken cancellationToken) =>
        Task.FromResult<long?>(revision.Files.TryGetValue(RevisionPaths.Normalize(path), out var content) ? content.Length : null);

    public Task<byte[]> ReadAllBytesAsync(string path, CancellationToken cancellationToken) =>
        revision.Files.TryGetValue(RevisionPaths.Normalize(path), out var content)
            ? Task.FromResult(content)
            : throw new FileNotFoundException($"{path} is not in project revision {revision.Id}");

    public string ResolveRelative(string fromFile, string relativePath) => RevisionPaths.ResolveRelative(fromFile, relativePath);
}

/// <summary>Paths inside a revision: relative, '/'-separated, with <c>.</c> and <c>..</c> folded (never above the project).</summary>
internal static class RevisionPaths
{
    public static string ResolveRelative(string fromFile, string relativePath)
    {
        var directory = Path.GetDirectoryName(Normalize(fromFile))?.Replace('\\', '/') ?? string.Empty;
        return Normalize(directory.Length == 0 ? relativePath : directory + "/" + relativePath);
    }

    public static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }
}
