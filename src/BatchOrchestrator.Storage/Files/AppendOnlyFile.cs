using System.Runtime.InteropServices;

namespace BatchOrchestrator.Storage.Files;

/// <summary>
/// Appends with one <c>write(2)</c> on an <c>O_APPEND</c> descriptor (Linux). The kernel moves to
/// the end and writes under the file's lock, so appends from any thread, store or process never
/// interleave and need no lock file: open, write, close — three system calls instead of the lock
/// file's eight or so. .NET's own file APIs cannot open with <c>O_APPEND</c>, hence libc.
/// </summary>
internal static unsafe partial class AppendOnlyFile
{
    private const string Library = "libc";

    // Linux's values (glibc and musl agree); other systems use the lock-file path.
    private const int O_WRONLY = 0x1;
    private const int O_CREAT = 0x40;
    private const int O_APPEND = 0x400;
    private const int O_CLOEXEC = 0x80000;
    private const int ENOENT = 2;
    private const int EINTR = 4;

    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>
    /// Appends <paramref name="bytes"/> to <paramref name="path"/>, creating the file; returns false
    /// (having written nothing) when its folder does not exist.
    /// </summary>
    public static bool TryAppend(string path, ReadOnlySpan<byte> bytes)
    {
        int fd;
        do
        {
            fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0x1B6 /* 0666, less umask, as .NET creates files */);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == EINTR);

        if (fd < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error == ENOENT ? false : throw Failure("open", path, error);
        }

        try
        {
            fixed (byte* start = bytes)
            {
                var written = 0;
                while (written < bytes.Length)
                {
                    // A regular file takes the whole buffer in one call; a short write (disk full)
                    // is continued rather than lost, at the end of the file where it belongs.
                    var count = write(fd, start + written, (nuint)(bytes.Length - written));
                    if (count < 0)
                    {
                        var error = Marshal.GetLastPInvokeError();
                        if (error == EINTR)
                        {
                            continue;
                        }

                        throw Failure("write", path, error);
                    }

                    written += (int)count;
                }
            }
        }
        finally
        {
            _ = close(fd);
        }

        return true;
    }

    private static IOException Failure(string call, string path, int error) =>
        new($"{call} of the log '{path}' failed: {Marshal.GetPInvokeErrorMessage(error)}", error);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, int mode);

    [LibraryImport(Library, SetLastError = true)]
    private static partial nint write(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, SetLastError = true)]
    private static partial int close(int fd);
}
