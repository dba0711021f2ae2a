namespace BatchOrchestrator.Language.Syntax;

/// <summary>
/// Where workflow files are read from: a directory locally, a stored project revision on a server.
/// Paths are as the user wrote them (relative to the current directory or absolute) and are
/// also what diagnostics print.
/// </summary>
public interface IWorkflowFiles
{
    /// <summary>The size in bytes, or null when the file does not exist.</summary>
    Task<long?> GetSizeAsync(string path, CancellationToken cancellationToken);

    Task<byte[]> ReadAllBytesAsync(string path, CancellationToken cancellationToken);

    /// <summary>Resolves <paramref name="relativePath"/> against the folder of <paramref name="fromFile"/>.</summary>
    string ResolveRelative(string fromFile, string relativePath);
}

/// <summary>Workflow files on the local disk: regular files only (a FIFO or a device is refused before it is opened).</summary>
public sealed class LocalWorkflowFiles : IWorkflowFiles
{
    /// <summary>The size, null when nothing is there; throws <see cref="Files.NotARegularFileException"/> for a FIFO, device, socket or folder.</summary>
    public Task<long?> GetSizeAsync(string path, CancellationToken cancellationToken)
    {
        var (kind, size) = Files.RegularFiles.Inspect(path);
        return kind switch
        {
            Files.FileKind.Missing => Task.FromResult<long?>(null),
            Files.FileKind.Regular => Task.FromResult<long?>(size),
            _ => throw new Files.NotARegularFileException(path, kind),
        };
    }

    /// <summary>The file's bytes; a file that grew past the workflow size limit since its size was read is cut just past it (the reader reports it).</summary>
    public Task<byte[]> ReadAllBytesAsync(string path, CancellationToken cancellationToken) =>
        Files.RegularFiles.ReadAsync(path, new YamlLimits().MaxFileBytes, cancellationToken);

    public string ResolveRelative(string fromFile, string relativePath) =>
        Path.IsPathRooted(relativePath)
            ? relativePath
            : Path.Combine(Path.GetDirectoryName(fromFile) ?? string.Empty, relativePath);
}
