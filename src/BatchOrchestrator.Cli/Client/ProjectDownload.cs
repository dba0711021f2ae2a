using BatchOrchestrator.Api.Archives;
using ServerArchive = BatchOrchestrator.Api.Archives.ProjectArchive;
using BatchOrchestrator.Cli.Commands;

namespace BatchOrchestrator.Cli.Client;

/// <summary>
/// A downloaded project archive unpacked into a folder. The archive is read with the checks the
/// server gives a push (regular files and folders only, no absolute or '..' path, within the
/// size limits), and every path is checked again against the folder before it is written, so a
/// server, or anything between it and here, cannot place a file outside it.
/// </summary>
public static class ProjectDownload
{
    public static async Task<Dictionary<string, byte[]>> ReadAsync(byte[] archive, CancellationToken cancellationToken)
    {
        try
        {
            return await ServerArchive.ReadAsync(archive, new ArchiveLimits(), cancellationToken);
        }
        catch (ArchiveRefusedException e)
        {
            throw new UserError($"the server sent an archive bo does not unpack: {e.Message}");
        }
    }

    public static async Task WriteAsync(string folder, IReadOnlyDictionary<string, byte[]> files, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        foreach (var (path, content) in files)
        {
            var file = Path.GetFullPath(Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar)));
            if (!file.StartsWith(root, StringComparison.Ordinal))
            {
                throw new UserError($"the server sent an archive entry '{path}' outside {folder}; nothing more is written");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllBytesAsync(file, content, cancellationToken);
        }
    }
}
