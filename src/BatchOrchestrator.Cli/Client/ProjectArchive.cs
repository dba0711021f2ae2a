using System.Formats.Tar;
using System.IO.Compression;
using BatchOrchestrator.Cli.Commands;

namespace BatchOrchestrator.Cli.Client;

/// <summary>
/// A project folder as the <c>.tar.gz</c> <c>PUT /api/projects/{name}</c> takes: its regular files
/// and folders, paths relative to it; the state folder (<c>.bo</c>) and anything not a plain file
/// (links, devices) stay out.
/// </summary>
public static class ProjectArchive
{
    public static async Task<byte[]> CreateAsync(string folder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            throw new UserError($"{folder}: no such project folder", 2);
        }

        if (!Directory.EnumerateFiles(folder, "*.dig").Any())
        {
            throw new UserError($"{folder} has no workflow (.dig) at its top: push a project folder (`bo init` makes one)", 2);
        }

        using var buffer = new MemoryStream();
        await using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var path in Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/');
                if (relative.Split('/')[0] == StateLocation.DefaultStateFolder || (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0)
                {
                    continue;
                }

                await tar.WriteEntryAsync(path, relative, cancellationToken);
            }
        }

        return buffer.ToArray();
    }
}
