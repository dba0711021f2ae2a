using System.Runtime.InteropServices;

namespace BatchOrchestrator.Language.Files;

/// <summary>What a path names once symbolic links are followed.</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
}

/// <summary>A workflow, include or project file that is not a regular file (a FIFO, a device, a socket, a folder): never opened.</summary>
public sealed class NotARegularFileException(string path, FileKind kind)
    : IOException($"{path} is {RegularFiles.Describe(kind)}, not a regular file: workflow files must be regular files")
{
    public FileKind Kind { get; } = kind;
}

/// <summary>
/// Reads files only after checking what they are. A FIFO blocks whoever opens it, and a
/// device such as <c>/dev/zero</c> has no end and a size of 0, so a size check alone lets it
/// through: every file a workflow names is stat'ed first (following links, so a link to a
/// device counts as the device) and opened only when it is a regular file.
/// .NET's FileInfo does not tell a FIFO or a device from a file, hence <c>statx</c>.
/// </summary>
public static partial class RegularFiles
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const uint StatxSize = 0x200;

    /// <summary>What <paramref name="path"/> is, and its size when it is a regular file.</summary>
    public static (FileKind Kind, long Size) Inspect(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!OperatingSystem.IsLinux())
        {
            var info = new FileInfo(path);
            return info.Exists ? (FileKind.Regular, info.Length) : Directory.Exists(path) ? (FileKind.Directory, 0) : (FileKind.Missing, 0);
        }

        // struct statx has one layout on every Linux architecture: stx_mode at byte 28, stx_size at 40.
        Span<byte> buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, 0, StatxType | StatxSize, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            return (FileKind.Missing, 0);
        }

        var mode = BitConverter.ToUInt16(buffer[28..30]) & 0xF000;
        var kind = mode switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Missing,
        };
        return (kind, kind == FileKind.Regular ? BitConverter.ToInt64(buffer[40..48]) : 0);
    }

    /// <summary>
    /// The file's first <paramref name="maxBytes"/> + 1 bytes at most (so a caller sees that it is
    /// larger than its limit without reading all of it); throws <see cref="NotARegularFileException"/>
    /// for anything but a regular file and <see cref="FileNotFoundException"/> for nothing at all.
    /// </summary>
    public static async Task<byte[]> ReadAsync(string path, long maxBytes, CancellationToken cancellationToken)
    {
        var (kind, size) = Inspect(path);
        if (kind == FileKind.Missing)
        {
            throw new FileNotFoundException($"{path}: no such file", path);
        }

        if (kind != FileKind.Regular)
        {
            throw new NotARegularFileException(path, kind);
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var buffer = new byte[Math.Min(size, maxBytes) + 1];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return read == buffer.Length ? buffer : buffer[..read];
    }

    /// <summary>"a FIFO", "a character device", ... for messages.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        FileKind.Directory => "a folder",
        FileKind.Missing => "missing",
        _ => "a regular file",
    };

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref byte buffer);
}
