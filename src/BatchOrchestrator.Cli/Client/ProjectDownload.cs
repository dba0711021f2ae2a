using BatchOrchestrator.Api.Archives;
using ServerArchive = BatchOrchestrator.Api.Archives.ProjectArchive;
using BatchOrchestrator.Cli.Commands;
using BatchOrchestrator.Engine.Projects;

namespace BatchOrchestrator.Cli.Client;

/// <summary>
/// A downloaded project archive unpacked into a folder. The archive is read with the checks the
/// server gives a push (regular files and folders only, no absolute or '..' path, within the
/// size limits), and every path is checked again against the folder before it is written, so a
/// server, or anything between it and here, cannot place a file outside it.
/// </summary>
public static class ProjectDownload
{
    public static async Task<ProjectFiles> ReadAsync(byte[] archive, CancellationToken cancellationToken)
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

    /// <summary>Writes the files, executable ones executable; every path is checked against the folder before any is written.</summary>
    public static async Task WriteAsync(string folder, ProjectFiles files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        try
        {
            await files.WriteToAsync(folder, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new UserError($"the server sent an archive bo does not write into {folder}: {e.Message}; nothing is written");
        }
    }
}
