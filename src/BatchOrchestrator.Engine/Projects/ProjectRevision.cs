using System.Security.Cryptography;
using System.Text;

namespace BatchOrchestrator.Engine.Projects;

/// <summary>
/// An immutable snapshot of a project's workflow files (<c>.dig</c> files, wherever they are in
/// the project, since they may be <c>!include</c>d). Its id is a hash of the content, so the same
/// files always make the same revision, and an attempt runs the revision it started with even
/// when the files change afterwards.
/// </summary>
public sealed record ProjectRevision
{
    private ProjectRevision(string id, string project, string sourceDirectory, IReadOnlyDictionary<string, byte[]> files, IReadOnlySet<string> executables)
    {
        Id = id;
        Project = project;
        SourceDirectory = sourceDirectory;
        Files = files;
        Executables = executables;
    }

    /// <summary>The content hash (hex, 32 characters).</summary>
    public string Id { get; }

    public string Project { get; }

    /// <summary>Where the project lives on the machine that runs its scripts.</summary>
    public string SourceDirectory { get; }

    /// <summary>File contents by path relative to the project folder, with '/' separators.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; }

    /// <summary>The paths of <see cref="Files"/> that are executable (part of the id: a changed mode is a changed project).</summary>
    public IReadOnlySet<string> Executables { get; }

    /// <summary>The files and their modes, as a push carries them.</summary>
    public ProjectFiles AsFiles() => new(Files, Executables);

    public static ProjectRevision Create(string project, string sourceDirectory, IReadOnlyDictionary<string, byte[]> files) =>
        Create(project, sourceDirectory, ProjectFiles.Of(files));

    public static ProjectRevision Create(string project, string sourceDirectory, ProjectFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var ordered = new SortedDictionary<string, byte[]>(files.Contents.ToDictionary(f => f.Key.Replace('\\', '/'), f => f.Value), StringComparer.Ordinal);
        var executables = new SortedSet<string>(files.Executables.Select(p => p.Replace('\\', '/')).Where(ordered.ContainsKey), StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(project + "\n"));
        foreach (var (path, content) in ordered)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{path}\n{content.Length}\n"));
            hash.AppendData(content);
        }

        // After every file, and only when there are any: a revision without executables keeps the id it always had.
        foreach (var path in executables)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"+x {path}\n"));
        }

        var id = Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
        return new ProjectRevision(id, project, sourceDirectory, ordered, executables);
    }

    /// <summary>
    /// The same revision (same id, same files) with its scripts in another folder: a pushed
    /// revision is unpacked into a folder named by its id, which is known only once it is hashed.
    /// </summary>
    public ProjectRevision InFolder(string sourceDirectory) => new(Id, Project, sourceDirectory, Files, Executables);

    /// <summary>Snapshots every <c>.dig</c> file under a folder (skipping state, VCS and package folders).</summary>
    public static async Task<ProjectRevision> FromDirectoryAsync(string project, string directory, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(directory);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.System };
        foreach (var file in Directory.EnumerateFiles(root, "*.dig", options))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.Split('/').Any(part => part is ".bo" or ".git" or "node_modules" or ".digdag"))
            {
                continue;
            }

            // A FIFO or device named *.dig would hang or exhaust the reader: not a workflow, left out. A file past the
            // workflow size limit is read only just past it, so checking it reports it as too large without holding all of it.
            if (Language.Files.RegularFiles.Inspect(file).Kind != Language.Files.FileKind.Regular)
            {
                continue;
            }

            try
            {
                files[relative] = await Language.Files.RegularFiles.ReadAsync(file, new Language.Syntax.YamlLimits().MaxFileBytes, cancellationToken);
            }
            catch (IOException)
            {
                // Replaced by something else, or removed, since it was listed.
            }
        }

        return Create(project, root, files);
    }
}
