namespace BatchOrchestrator.Storage.Files;

/// <summary>
/// An exclusive lock on a lock file, shared by every writer of the logs beside it: other
/// <see cref="FileLogStore"/> instances and other processes. It is an OS file lock (flock on
/// Unix), so a writer that dies releases it. The log files themselves are never locked
/// exclusively, so readers following a log never wait.
/// </summary>
internal sealed class FileAppendLock : IDisposable
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LongestWait = TimeSpan.FromMilliseconds(20);

    private readonly FileStream _stream;

    private FileAppendLock(FileStream stream) => _stream = stream;

    public static async Task<FileAppendLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        var wait = TimeSpan.FromMilliseconds(1);
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new FileAppendLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1));
            }
            catch (IOException e) when (IsHeldElsewhere(e))
            {
                // Only another instance or process holds it (this store's own writers queue on
                // KeyedAsyncLock first), and appends are short: poll briefly, backing off.
                if (TimeProvider.System.GetElapsedTime(started) > GiveUpAfter)
                {
                    throw new IOException($"The log lock '{path}' was held by another writer for over {GiveUpAfter.TotalSeconds:0} s.", e);
                }

                await Task.Delay(wait, cancellationToken);
                wait = wait * 2 < LongestWait ? wait * 2 : LongestWait;
            }
        }
    }

    // Windows: ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION. Unix: .NET puts flock's errno in
    // HResult — EWOULDBLOCK, 11 on Linux and 35 on macOS.
    private static bool IsHeldElsewhere(IOException e) =>
        OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is 32 or 33 : e.HResult is 11 or 35;

    public void Dispose() => _stream.Dispose();
}
