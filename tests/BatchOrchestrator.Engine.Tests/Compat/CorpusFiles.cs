namespace BatchOrchestrator.Engine.Tests.Compat;

/// <summary>The Digdag corpus, <c>shared/compat/digdag</c> beside the repository (see its NOTICE.md).</summary>
internal static class CorpusFiles
{
    public static string Root { get; } = FindRoot();

    /// <summary>Every <c>.dig</c> file of the corpus, relative to <see cref="Root"/>, with <c>/</c> separators.</summary>
    public static IReadOnlyList<string> All() =>
        Directory.EnumerateFiles(Root, "*.dig", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Copies every file of <paramref name="file"/>'s folder (not its subfolders' files) into <paramref name="projectDirectory"/>.</summary>
    public static void CopyFolderOf(string file, string projectDirectory)
    {
        var folder = Path.GetDirectoryName(Path.Combine(Root, file))!;
        foreach (var source in Directory.EnumerateFiles(folder))
        {
            File.Copy(source, Path.Combine(projectDirectory, Path.GetFileName(source)), overwrite: true);
        }
    }

    /// <summary>Found by walking up from the test binaries: the repository's parent folder holds <c>shared/</c>, here and in CI.</summary>
    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "compat", "digdag");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"no shared/compat/digdag folder above {AppContext.BaseDirectory}; the Digdag corpus is expected in ../shared beside the repository");
    }
}
