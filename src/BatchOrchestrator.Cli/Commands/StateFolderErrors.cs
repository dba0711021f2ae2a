using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Runtime.Storage;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>
/// What `bo run`, `bo retry` and `bo server` say when a database of the state folder cannot be
/// used: one line naming the file at fault and what to do about it. The stores classify; this words.
/// </summary>
public static class StateFolderErrors
{
    /// <summary>
    /// The line for <paramref name="error"/> when it says a database of the state folder cannot be
    /// used — the runtime's <see cref="DurableStoreException"/> (but not <see cref="StoreFailure.InUse"/>,
    /// whose message names the holder instead) or a store's <see cref="StoreUnavailableException"/>;
    /// null for anything else.
    /// </summary>
    public static string? For(string stateDirectory, Exception error) => error switch
    {
        DurableStoreException { Failure: not StoreFailure.InUse } e => Describe(stateDirectory, e.Failure, e.Path, e.Message),
        StoreUnavailableException e => Describe(stateDirectory, e.Failure, e.Path, e.Message),
        _ => null,
    };

    /// <summary>The line for a store failure other than <see cref="StoreFailure.InUse"/> (whose message names the holder instead).</summary>
    /// <param name="stateDirectory">The state folder being opened.</param>
    /// <param name="failure">Why the store cannot be used.</param>
    /// <param name="path">The file at fault, when the store knows it.</param>
    /// <param name="detail">The store's own message, said as it is when the failure has no better wording.</param>
    private static string Describe(string stateDirectory, StoreFailure failure, string? path, string detail)
    {
        var file = path ?? stateDirectory;
        var what = failure switch
        {
            StoreFailure.Corrupt =>
                $"{file} is not a SQLite database or is corrupt: move it aside (bo then starts an empty one, without the records it held) or restore it from a backup",
            StoreFailure.ReadOnly =>
                $"{file} (or its folder) is read-only, and bo writes it and its -wal and -shm files beside it: make them writable, or use another state folder with --state",
            StoreFailure.CannotOpen =>
                $"{file} cannot be opened: bo has no permission on it or its folder: give bo read and write access to both",
            StoreFailure.WrongKind when Directory.Exists(file) =>
                $"{file} is a folder where bo keeps a file: move it aside and run again",
            StoreFailure.WrongKind =>
                $"{file} is a file where bo keeps a folder: move it aside and run again",
            StoreFailure.Full =>
                $"the disk holding {file} is full: free some space and run again",
            StoreFailure.IoError =>
                $"the disk reported an I/O error on {file}: check the disk, then run again",
            _ => detail,
        };
        return $"cannot open the state folder {stateDirectory}: {what}";
    }
}
