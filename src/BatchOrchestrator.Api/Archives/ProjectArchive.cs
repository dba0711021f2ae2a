using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace BatchOrchestrator.Api.Archives;

/// <summary>
/// A pushed project's <c>.tar.gz</c>, unpacked in memory within <see cref="ArchiveLimits"/>:
/// regular files and folders only, paths inside the project, names and depths a file system
/// takes, no path both a file and a folder. Throws <see cref="ArchiveRefusedException"/> saying
/// what is wrong; nothing is written anywhere. The same format goes back out
/// (<see cref="WriteAsync"/>, <c>GET /api/projects/{project}/archive</c>), so <c>bo download</c>
/// unpacks with the same checks a push gets.
/// </summary>
public static class ProjectArchive
{
    /// <summary>A project's files as a <c>.tar.gz</c> of regular files, in path order (the same files give the same entries).</summary>
    public static async Task<byte[]> WriteAsync(IReadOnlyDictionary<string, byte[]> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        using var buffer = new MemoryStream();
        await using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                using var data = new MemoryStream(content, writable: false);
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = data }, cancellationToken);
            }
        }

        return buffer.ToArray();
    }

    public static async Task<Dictionary<string, byte[]>> ReadAsync(byte[] body, ArchiveLimits limits, CancellationToken cancellationToken)
    {
        try
        {
            // Headers first: TarReader would allocate whatever a metadata header declares.
            await using (var scan = new GZipStream(new MemoryStream(body, writable: false), CompressionMode.Decompress))
            {
                await TarHeaderScan.CheckAsync(scan, limits, cancellationToken);
            }

            await using var gzip = new GZipStream(new MemoryStream(body, writable: false), CompressionMode.Decompress);
            await using var tar = new TarReader(gzip);
            return await UnpackAsync(tar, limits, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new ArchiveRefusedException($"the body is not a .tar.gz archive: {e.Message}", StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<Dictionary<string, byte[]>> UnpackAsync(TarReader tar, ArchiveLimits limits, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var folders = new HashSet<string>(StringComparer.Ordinal);
        long unpacked = 0;
        var entries = 0;
        while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (++entries > limits.MaxEntries)
            {
                throw ArchiveRefusedException.TooManyEntries(limits);
            }

            if (entry.EntryType is not (TarEntryType.Directory or TarEntryType.RegularFile or TarEntryType.V7RegularFile))
            {
                throw Refused($"archive entry '{Shown(entry.Name)}' is a {entry.EntryType}: only regular files and folders are taken");
            }

            var path = ArchivePath(entry.Name, limits);
            if (entry.EntryType is TarEntryType.Directory)
            {
                AddFolder(path, files, folders);
                continue;
            }

            if (folders.Contains(path))
            {
                throw Refused($"archive entry '{Shown(path)}' is a file and a folder of other entries at once");
            }

            AddFolder(Parent(path), files, folders);
            unpacked += entry.Length;
            if (unpacked > limits.MaxUnpackedBytes)
            {
                throw ArchiveRefusedException.TooLarge(limits);
            }

            var content = new byte[entry.Length];
            if (entry.DataStream is { } data)
            {
                await data.ReadExactlyAsync(content, cancellationToken);
            }

            files[path] = content;
        }

        return files;
    }

    /// <summary>Records a folder and the folders above it, refusing one that is also a file.</summary>
    private static void AddFolder(string? path, Dictionary<string, byte[]> files, HashSet<string> folders)
    {
        for (var folder = path; folder is not null && folders.Add(folder); folder = Parent(folder))
        {
            if (files.ContainsKey(folder))
            {
                throw Refused($"archive entry '{Shown(folder)}' is a file and a folder of other entries at once");
            }
        }
    }

    private static string? Parent(string path) => path.LastIndexOf('/') is var slash and > 0 ? path[..slash] : null;

    /// <summary>The entry's path relative to the project ('/'-separated), refused when it would leave the folder or a file system would not take it.</summary>
    private static string ArchivePath(string name, ArchiveLimits limits)
    {
        if (name.Length > limits.MaxPathLength)
        {
            throw Refused($"archive entry '{Shown(name)}' has a {name.Length}-character path; at most {limits.MaxPathLength} are taken");
        }

        if (name.Contains('\\', StringComparison.Ordinal) || name.StartsWith('/') || name.Contains(':', StringComparison.Ordinal) || name.Any(char.IsControl))
        {
            throw Refused($"archive entry '{Shown(name)}' is outside the project folder (absolute, '..', or a backslash)");
        }

        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Count == 0 || parts.Any(p => p == ".."))
        {
            throw Refused($"archive entry '{Shown(name)}' is outside the project folder (absolute, '..', or a backslash)");
        }

        if (parts.Count > limits.MaxDepth)
        {
            throw Refused($"archive entry '{Shown(name)}' is {parts.Count} folders deep; at most {limits.MaxDepth} are taken");
        }

        if (parts.FirstOrDefault(p => Encoding.UTF8.GetByteCount(p) > limits.MaxNameBytes) is { } longName)
        {
            throw Refused($"archive entry '{Shown(name)}' has a name of {Encoding.UTF8.GetByteCount(longName)} bytes; at most {limits.MaxNameBytes} are taken");
        }

        return string.Join('/', parts);
    }

    private static ArchiveRefusedException Refused(string message) => new(message, StatusCodes.Status400BadRequest);

    /// <summary>A name as quoted in a message: a hostile one can be kilobytes long.</summary>
    private static string Shown(string name) => name.Length <= 120 ? name : name[..100] + "…";
}
