using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Versioning;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Executors.Local.Native;

namespace BatchOrchestrator.Executors.Local;

/// <summary>
/// Runs commands as local processes (<c>container.executor: local</c>, the default with no cluster).
/// <para>Guarantees:</para>
/// <list type="bullet">
/// <item>Launch returns as soon as the process is started. Launching the same (attempt, task, try)
/// again in this host adopts the first process; a process left running by an earlier, stopped
/// host is killed first, so a try never runs twice at once.</item>
/// <item>The command runs in its own session and process group: cancel and timeout kill
/// everything it started, not only the shell.</item>
/// <item>stdout and stderr stream into the task log as they are written; nothing read is lost.</item>
/// <item>A state whose process this host did not start (the host restarted) is reported as
/// failed with a message saying so, so the engine runs the try again.</item>
/// <item><see cref="CommandRequest.Files"/> are written to a per-try folder, <c>$BO_TASK_DIR</c>;
/// <c>$BO_OUTPUT</c> names a file in it whose content comes back as
/// <see cref="CommandStatus.OutputText"/>. Cleanup removes the folder.</item>
/// </list>
/// The environment is this host's (as it was when the executor was made) plus the request's.
/// Linux only (posix_spawn, pidfd and epoll, /proc).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LocalCommandExecutor : ICommandExecutor, IAttemptCommandCanceller, IAsyncDisposable
{
    public const string ExecutorName = LocalCommandData.Executor;

    private const string OutputFileName = "output";
    private const string ScriptFileName = ".bo-command.sh";

    private readonly ILogStore _logStore;
    private readonly LocalExecutorOptions _options;
    private readonly ChildWatcher _watcher;
    // The host's variables as "NAME=value" entries, built once: every launch passes them on.
    private readonly (string Name, string Entry)[] _hostEnvironment;
    private readonly ConcurrentDictionary<LocalTryKey, Lazy<Task<LocalProcess>>> _processes = new();
    // The states this host's launches returned, with their data: a try's poll, collect and cleanup get
    // the very state its launch returned (within one activity), so they need not parse its JSON again.
    private readonly ConditionalWeakTable<CommandState, LocalCommandData> _launchedStates = new();
    private volatile bool _rootChecked;

    public LocalCommandExecutor(ILogStore logStore, LocalExecutorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(logStore);
        _logStore = logStore;
        _options = options ?? new LocalExecutorOptions();
        _watcher = new ChildWatcher(pidfds: !_options.WithoutPidfds);
        _hostEnvironment = [.. Environment.GetEnvironmentVariables()
            .Cast<DictionaryEntry>()
            .Select(e => ((string)e.Key, $"{e.Key}={e.Value}"))];
    }

    public string Name => ExecutorName;

    /// <summary>Whether exits are seen through pidfds (else through SIGCHLD; see <see cref="ChildWatcher"/>).</summary>
    internal bool SeesExitsThroughPidfds => _watcher.UsesPidfds;

    // A process does not outlive the host that started it as something a new host can adopt.
    public bool RelaunchRunsAgain => true;

    public async Task<CommandStatus> LaunchAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = new LocalTryKey(request.AttemptId, request.TaskName, request.Try);
        var started = _processes.GetOrAdd(
            key,
            k => new Lazy<Task<LocalProcess>>(() => StartAsync(k, request, cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            var process = await started.Value.ConfigureAwait(false);
            _launchedStates.TryAdd(process.State, process.Data);
            return new CommandStatus { Phase = CommandPhase.Running, State = process.State, Restarted = process.Restarted };
        }
        catch (Win32Exception e)
        {
            // Not retryable by launching again: forget it, so a new try starts afresh.
            _processes.TryRemove(KeyValuePair.Create(key, started));
            var data = new LocalCommandData(key, 0, 0, Path.Combine(_options.TaskRoot, key.FolderName), request.Log);
            return new CommandStatus { Phase = CommandPhase.Failed, State = data.ToState(), FailureMessage = e.Message };
        }
        catch
        {
            _processes.TryRemove(KeyValuePair.Create(key, started));
            throw;
        }
    }

    public async Task<CommandStatus> PollAsync(CommandState state, CancellationToken cancellationToken)
    {
        var data = DataOf(state);
        if (data.Pid == 0)
        {
            return new CommandStatus { Phase = CommandPhase.Failed, State = state, FailureMessage = "The command could not be started." };
        }

        var process = await FindAsync(data).ConfigureAwait(false);
        return process is null
            ? Lost(state, data)
            : await process.PollAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<CommandState> CollectLogsAsync(CommandState state, CancellationToken cancellationToken)
    {
        var data = DataOf(state);
        var process = await FindAsync(data).ConfigureAwait(false);
        if (process is not null)
        {
            if (process.Exit.IsCompleted)
            {
                await LocalProcess.WithinAsync(process.Pump.Completion, _options.OutputDrainTimeout, cancellationToken).ConfigureAwait(false);
            }

            await process.Pump.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return state;
    }

    public async Task CancelAsync(CommandState state, CancellationToken cancellationToken)
    {
        var data = DataOf(state);
        var process = await FindAsync(data).ConfigureAwait(false);
        if (process is not null)
        {
            await process.StopAsync("Command was canceled and killed.", _options.KillGracePeriod, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            KillOrphan(data);
        }
    }

    public async Task CleanupAsync(CommandState state, CancellationToken cancellationToken)
    {
        var data = DataOf(state);
        var process = await FindAsync(data).ConfigureAwait(false);
        if (process is not null)
        {
            await process.DisposeAsync().ConfigureAwait(false);
            _processes.TryRemove(data.Key, out _);
        }
        else
        {
            KillOrphan(data);
        }

        // The state says where the folder is; it is only trusted inside the task root.
        var directory = Path.GetFullPath(data.TaskDirectory);
        if (directory.StartsWith(Path.GetFullPath(_options.TaskRoot) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            DeleteTaskDirectory(directory);
        }
    }

    /// <summary>
    /// Stops every command this executor runs for an attempt (the attempt was killed): each
    /// process group gets SIGTERM, then SIGKILL after the grace period. Returns how many were stopped.
    /// This host's processes are all in memory: <paramref name="tries"/> add nothing to look at.
    /// </summary>
    public async Task<int> CancelAttemptAsync(string attemptId, IReadOnlyCollection<StartedTry> tries, CancellationToken cancellationToken)
    {
        var stopped = 0;
        foreach (var (key, entry) in _processes)
        {
            if (key.AttemptId != attemptId || !entry.IsValueCreated)
            {
                continue;
            }

            // A launch still finishing its bookkeeping has a running child already (it may have
            // started its own children): wait for the launch, then stop it like the others.
            LocalProcess process;
            try
            {
                process = await entry.Value.ConfigureAwait(false);
            }
            catch (Exception e) when (e is Win32Exception or TaskFailure or IOException or UnauthorizedAccessException or OperationCanceledException)
            {
                continue; // the launch failed: nothing was started, or it is already gone
            }

            if (!process.Exit.IsCompleted)
            {
                await process.StopAsync("The attempt was killed.", _options.KillGracePeriod, cancellationToken).ConfigureAwait(false);
                stopped++;
            }
        }

        return stopped;
    }

    /// <summary>Kills every command still running and stops watching for exits.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var entry in _processes.Values)
        {
            if (entry.IsValueCreated && entry.Value.IsCompletedSuccessfully)
            {
                await entry.Value.Result.DisposeAsync().ConfigureAwait(false);
            }
        }

        _processes.Clear();
        _watcher.Dispose();
    }

    private LocalCommandData DataOf(CommandState state) =>
        _launchedStates.TryGetValue(state, out var data) ? data : LocalCommandData.From(state);

    private async Task<LocalProcess> StartAsync(LocalTryKey key, CommandRequest request, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(_options.TaskRoot, key.FolderName);
        var restarted = MakeTryFolder(directory);
        foreach (var (name, content) in request.Files)
        {
            var path = Path.GetFullPath(Path.Combine(directory, name));
            if (!path.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new TaskFailure($"Command file '{name}' is outside the task folder.", retryable: false);
            }

            PrivateFolders.Create(Path.GetDirectoryName(path)!);
            await PrivateFolders.WriteAsync(path, content, cancellationToken).ConfigureAwait(false);
        }

        var outputFile = Path.Combine(directory, OutputFileName);
        var command = request.SecretParts.Command ? await ScriptInFileAsync(request.Command, directory, cancellationToken).ConfigureAwait(false) : request.Command;
        var environment = ChildEnvironment(request, directory, outputFile);

        // The folder itself says the command may have run (CommandStatus.Restarted) to the next launch
        // of this try, should this host stop; the mark after the spawn says which process to stop.
        var spawned = ProcessSpawner.Spawn(command, environment, request.WorkingDirectory);
        // Read before the watcher may reap it: a zombie still has its /proc entry, a reaped child does not.
        var identity = ProcessIdentity.Read(spawned.Pid) ?? new ProcessIdentity(spawned.Pid, 0);
        var child = _watcher.Watch(spawned.Pid, spawned.OutputFd, new OutputPump(_logStore, request.Log));
        TryFolder.Mark(directory, identity);
        var data = new LocalCommandData(key, identity.Pid, identity.StartTicks, directory, request.Log);
        return new LocalProcess(data, child, outputFile, request.Timeout, _watcher, _options) { Restarted = restarted };
    }

    /// <summary>
    /// A command whose arguments hold a resolved secret, without it: any local user can read a
    /// process's arguments (<c>ps</c>, /proc), so a shell's <c>-c</c> script goes to a 0600 file the
    /// shell runs instead (<c>sh -c script</c> becomes <c>sh file</c>). Any other shape is refused.
    /// </summary>
    private static async Task<IReadOnlyList<string>> ScriptInFileAsync(IReadOnlyList<string> command, string directory, CancellationToken cancellationToken)
    {
        if (command.Count < 3 || command[^2] != "-c")
        {
            throw new TaskFailure("A secret in the command's arguments would show in the process list: pass it as an environment variable (_env) or in a file instead.", retryable: false);
        }

        var script = Path.Combine(directory, ScriptFileName);
        await PrivateFolders.WriteAsync(script, command[^1], cancellationToken).ConfigureAwait(false);
        return [.. command.Take(command.Count - 2), script];
    }

    private List<string> ChildEnvironment(CommandRequest request, string directory, string outputFile)
    {
        var overrides = new Dictionary<string, string>(request.Environment, StringComparer.Ordinal)
        {
            ["BO_TASK_DIR"] = directory,
            ["BO_OUTPUT"] = outputFile,
        };
        var result = new List<string>(_hostEnvironment.Length + overrides.Count);
        foreach (var (name, entry) in _hostEnvironment)
        {
            if (!overrides.ContainsKey(name))
            {
                result.Add(entry);
            }
        }

        foreach (var (name, value) in overrides)
        {
            result.Add($"{name}={value}");
        }

        return result;
    }

    private async Task<LocalProcess?> FindAsync(LocalCommandData data)
    {
        if (!_processes.TryGetValue(data.Key, out var entry))
        {
            return null;
        }

        try
        {
            var process = await entry.Value.ConfigureAwait(false);
            return process.Data.Pid == data.Pid ? process : null;
        }
        catch (Exception e) when (e is Win32Exception or TaskFailure)
        {
            return null;
        }
    }

    /// <summary>
    /// Makes the try's folder; whether one was there already, left by a host that stopped after it
    /// made it (the command may have run): its process, if still running, is stopped and the folder
    /// made afresh, so a try never runs twice at once.
    /// </summary>
    private bool MakeTryFolder(string directory)
    {
        // The root is checked to be this user's own once, and again whenever it has gone missing.
        var made = _rootChecked ? TryFolder.Make(directory) : TryFolder.Made.NoParent;
        if (made == TryFolder.Made.NoParent)
        {
            PrivateFolders.SecureRoot(_options.CheckedRoot);
            _rootChecked = true;
            PrivateFolders.Create(Path.GetDirectoryName(directory)!);
            made = TryFolder.Make(directory);
        }

        if (made != TryFolder.Made.Existing)
        {
            return false;
        }

        if (TryFolder.ReadMark(directory) is { } leftover)
        {
            KillIfRunning(leftover);
        }

        DeleteTaskDirectory(directory);
        PrivateFolders.Create(directory);
        return true;
    }

    private static void KillOrphan(LocalCommandData data)
    {
        if (data.Pid != 0)
        {
            KillIfRunning(new ProcessIdentity(data.Pid, data.StartTicks));
        }
    }

    private static void KillIfRunning(ProcessIdentity identity)
    {
        if (identity.StartTicks != 0 && identity.IsRunning())
        {
            LibC.kill(-identity.Pid, LibC.SIGKILL);
        }
    }

    private static CommandStatus Lost(CommandState state, LocalCommandData data)
    {
        var running = data.StartTicks != 0 && new ProcessIdentity(data.Pid, data.StartTicks).IsRunning();
        if (running)
        {
            LibC.kill(-data.Pid, LibC.SIGKILL);
        }

        var what = running
            ? $"was still running under a host that had stopped, so it was killed"
            : "is gone: the host that started it stopped before it finished";
        return new CommandStatus
        {
            Phase = CommandPhase.Lost,
            State = state,
            FailureMessage = $"The local process of this try (pid {data.Pid}) {what}; its exit status and the rest of its output are lost. The try must run again.",
        };
    }

    // What a try's folder holds unless the command or its files add more.
    private static readonly string[] KnownFiles = [TryFolder.ProcessMark, OutputFileName];

    private static void DeleteTaskDirectory(string directory) => TryFolder.Delete(directory, KnownFiles);
}
