namespace BatchOrchestrator.Engine.Projects;

/// <summary>
/// A project's files as a push carries them: contents by path (relative to the project folder,
/// '/'-separated) and which of them are executable. The executable bit travels because a step
/// such as <c>sh&gt;: scripts/load.sh</c> runs the file itself, as it does in the folder it was
/// pushed from.
/// </summary>
public sealed record ProjectFiles(IReadOnlyDictionary<string, byte[]> Contents, IReadOnlySet<string> Executables)
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Files none of which is executable.</summary>
    public static ProjectFiles Of(IReadOnlyDictionary<string, byte[]> contents) => new(contents, None);

    /// <summary>
    /// Writes the files under <paramref name="folder"/> (created as needed), with the modes the
    /// process's umask gives, plus execute wherever an executable file can be read. A path that would land
    /// outside the folder is refused before any file is written.
    /// </summary>
    /// <exception cref="InvalidDataException">A path leaves the folder.</exception>
    public async Task WriteToAsync(string folder, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        var targets = Contents.Select(f => (Path: f.Key, File: Path.GetFullPath(Path.Combine(root, f.Key.Replace('/', Path.DirectorySeparatorChar))), Content: f.Value)).ToList();
        if (targets.FirstOrDefault(t => !t.File.StartsWith(root, StringComparison.Ordinal)) is { Path: { } outside })
        {
            throw new InvalidDataException($"project file '{outside}' is outside the folder it is written to");
        }

        foreach (var (path, file, content) in targets)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllBytesAsync(file, content, cancellationToken);
            if (Executables.Contains(path) && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, WithExecute(File.GetUnixFileMode(file)));
            }
        }
    }

    /// <summary>Whether a file on disk has its owner-execute bit (never on Windows, which has none).</summary>
    public static bool IsExecutable(string file) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0;

    /// <summary>The mode with execute added for whoever may read the file (the umask stays in charge of who that is).</summary>
    private static UnixFileMode WithExecute(UnixFileMode mode) => mode | UnixFileMode.UserExecute
        | (mode.HasFlag(UnixFileMode.GroupRead) ? UnixFileMode.GroupExecute : 0)
        | (mode.HasFlag(UnixFileMode.OtherRead) ? UnixFileMode.OtherExecute : 0);
}
