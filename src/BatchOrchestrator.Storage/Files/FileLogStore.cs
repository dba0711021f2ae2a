using System.Text;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Storage.Files;

/// <summary>
/// Task logs as UTF-8 files under a root folder, at <see cref="TaskLogKey.RelativePath"/>.
/// <list type="bullet">
/// <item>An append is atomic: on Linux its text is written with one <c>write</c> on a descriptor
/// opened with <c>O_APPEND</c> (the kernel serializes appends to a file, whichever thread, instance
/// or process makes them); elsewhere with one positioned write at the end of the file while
/// holding one of the attempt folder's lock stripes (<c>.append.lock.N</c>), which every writer of
/// that log takes. So appends never interleave, whether to different logs or to the same one.</item>
/// <item>Offsets are bytes of the file. A read returns whole characters only: a character whose
/// bytes are still being written is left for the next read, so following a log never splits one.
/// An append can be seen half-written by a reader, never mixed with another.</item>
/// <item>Cancelling before the write starts leaves the log unchanged; a write that has started
/// completes.</item>
/// </list>
/// </summary>
public sealed class FileLogStore : ILogStore
{
    /// <summary>The most a single read returns, so following a huge log goes in steps.</summary>
    // Small enough that a chunk's bytes and its text stay off the large object heap (85,000 bytes),
    // which is collected only with the oldest generation: a long log read in 1 MiB chunks grew the server by 100 MB.
    public const int MaxChunkBytes = 32 << 10;

    private const string LockFileName = ".append.lock";

    private const int LockStripes = 16;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly string _root;
    private readonly KeyedAsyncLock _locks = new();

    public FileLogStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _root = Path.GetFullPath(root);
    }

    public async Task AppendAsync(TaskLogKey key, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(text);
        cancellationToken.ThrowIfCancellationRequested();
        if (text.Length == 0)
        {
            return;
        }

        var path = Locate(key);
        var folder = Path.GetDirectoryName(path)!;
        var bytes = Utf8.GetBytes(text);
        if (AppendOnlyFile.IsSupported)
        {
            // The folder usually exists (every task of an attempt shares it): try first, create on a miss.
            if (!AppendOnlyFile.TryAppend(path, bytes))
            {
                Directory.CreateDirectory(folder);
                if (!AppendOnlyFile.TryAppend(path, bytes))
                {
                    throw new DirectoryNotFoundException($"The log folder '{folder}' vanished while appending to it.");
                }
            }

            return;
        }

        var lockPath = Path.Combine(folder, LockFileName + Stripe(path));

        using var queued = await _locks.AcquireAsync(lockPath, cancellationToken);
        Directory.CreateDirectory(folder);
        using var held = await FileAppendLock.AcquireAsync(lockPath, cancellationToken);
        using var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        // The end is read under the lock, so no other append can move it before this write lands.
        await RandomAccess.WriteAsync(handle, bytes, RandomAccess.GetLength(handle), cancellationToken);
    }

    public async Task<LogChunk> ReadAsync(TaskLogKey key, long offset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        cancellationToken.ThrowIfCancellationRequested();
        var path = Locate(key);
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new LogChunk("", offset);
        }

        using (handle)
        {
            var available = RandomAccess.GetLength(handle) - offset;
            if (available <= 0)
            {
                return new LogChunk("", offset);
            }

            var buffer = new byte[(int)Math.Min(available, MaxChunkBytes)];
            var read = 0;
            while (read < buffer.Length)
            {
                var count = await RandomAccess.ReadAsync(handle, buffer.AsMemory(read), offset + read, cancellationToken);
                if (count == 0)
                {
                    break;
                }

                read += count;
            }

            var complete = Utf8Boundary.CompleteLength(buffer.AsSpan(0, read));
            return new LogChunk(Utf8.GetString(buffer, 0, complete), offset + complete);
        }
    }

    /// <summary>
    /// Appends to different logs of one attempt need not wait for each other: the attempt's lock
    /// is split into stripes by log file, so concurrent tasks rarely share one (appends to the
    /// same log always do).
    /// </summary>
    private static string Stripe(string path)
    {
        // A stable hash (FNV-1a), not string.GetHashCode: that one is seeded per process, and two
        // processes appending to one log must pick the same stripe.
        var hash = 2166136261u;
        foreach (var c in path)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return "." + (hash & (LockStripes - 1)).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public string Locate(TaskLogKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        // TaskLogKey makes every part file-safe, so the path cannot leave the root.
        return Path.Combine(_root, key.RelativePath.Replace('/', Path.DirectorySeparatorChar));
    }
}
