using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Blob;
using BatchOrchestrator.Storage.Sqlite;

namespace BatchOrchestrator.Server.Local;

/// <summary>
/// The records and logs of a state folder without the durable runtime, so <c>bo tasks</c>,
/// <c>bo log</c> and friends work while a <c>bo run</c> holds the runtime (only one runtime may
/// own a state folder at a time; the run store and log files take readers from other processes).
/// </summary>
public sealed class LocalState : IAsyncDisposable
{
    private readonly SqliteRunStore _runs;

    private LocalState(string directory, SqliteRunStore runs)
    {
        Directory = directory;
        _runs = runs;
        Logs = LogStoreConfiguration.FromEnvironment(LogsDirectoryOf(directory));
    }

    public string Directory { get; }

    public IRunStore Runs => _runs;

    public ILogStore Logs { get; }

    /// <summary>Where a state folder keeps its task logs (the root of <see cref="TaskRecord.LogReference"/>).</summary>
    public static string LogsDirectoryOf(string stateDirectory) => Path.Combine(stateDirectory, "logs");

    /// <summary>Where a person finds a task's log file.</summary>
    public static string LogPathOf(string stateDirectory, string logReference) =>
        Path.GetFullPath(Path.Combine(LogsDirectoryOf(stateDirectory), logReference.Replace('/', Path.DirectorySeparatorChar)));

    /// <summary>Opens an existing state folder; null when there is none (nothing ran here yet).</summary>
    public static async Task<LocalState?> OpenAsync(string stateDirectory, CancellationToken cancellationToken)
    {
        var database = Path.Combine(stateDirectory, "runs.db");
        if (!File.Exists(database))
        {
            return null;
        }

        return new LocalState(stateDirectory, await SqliteRunStore.OpenAsync(database, cancellationToken));
    }

    public async ValueTask DisposeAsync() => await _runs.DisposeAsync();
}
