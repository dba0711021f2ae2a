using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Runtime.Storage;

/// <summary>
/// Makes one runtime the only dispatcher of a database, across processes: an exclusive lock
/// on a file beside it. The operating system releases it when the process dies, even by
/// SIGKILL, so a restart never waits for a lease to expire.
/// </summary>
internal sealed class DatabaseLock : IDisposable
{
    private readonly FileStream _stream;

    private DatabaseLock(FileStream stream) => _stream = stream;

    public static DatabaseLock Acquire(string databasePath)
    {
        var path = databasePath + ".lock";
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            stream.Write(pid);
            stream.Flush();
            return new DatabaseLock(stream);
        }
        catch (IOException e)
        {
            throw new DurableStoreException(
                $"The database '{databasePath}' is in use by another runtime{OwnerOf(path)}; only one runtime may run on a database at a time.", path, StoreFailure.InUse, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw Directory.Exists(path)
                ? new DurableStoreException($"Cannot lock the database '{databasePath}': '{path}' is a folder, not a file.", path, StoreFailure.WrongKind, e)
                : new DurableStoreException($"Cannot lock the database '{databasePath}': '{path}' is not writable.", path, StoreFailure.CannotOpen, e);
        }
    }

    private static string OwnerOf(string lockPath)
    {
        try
        {
            using var reader = new FileStream(lockPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var text = new StreamReader(reader);
            var pid = text.ReadToEnd().Trim();
            return pid.Length == 0 ? "" : $" (process {pid})";
        }
        catch (IOException)
        {
            return "";
        }
    }

    public void Dispose() => _stream.Dispose();
}
