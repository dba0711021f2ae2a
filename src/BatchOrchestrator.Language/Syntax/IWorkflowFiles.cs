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

/// <summary>Workflow files on the local disk.</summary>
public sealed class LocalWorkflowFiles : IWorkflowFiles
{
    public Task<long?> GetSizeAsync(string path, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        return Task.FromResult<long?>(info.Exists ? info.Length : null);
    }

    public Task<byte[]> ReadAllBytesAsync(string path, CancellationToken cancellationToken) =>
        File.ReadAllBytesAsync(path, cancellationToken);

    public string ResolveRelative(string fromFile, string relativePath) =>
        Path.IsPathRooted(relativePath)
            ? relativePath
            : Path.Combine(Path.GetDirectoryName(fromFile) ?? string.Empty, relativePath);
}
