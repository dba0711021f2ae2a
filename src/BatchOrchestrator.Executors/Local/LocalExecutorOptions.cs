namespace BatchOrchestrator.Executors.Local;

/// <summary>Settings of <see cref="LocalCommandExecutor"/>; the defaults suit <c>bo run</c>.</summary>
public sealed record LocalExecutorOptions
{
    /// <summary>
    /// Where per-try folders (<c>$BO_TASK_DIR</c>) are made. Default: under the user's own runtime
    /// folder (<c>$XDG_RUNTIME_DIR</c>), else a folder of the user's under <c>/dev/shm</c> when it
    /// exists, else under the temp folder (<see cref="PrivateRoot"/>). Memory-backed on purpose: creating and removing a folder per
    /// command on a busy disk costs milliseconds, more than the command itself; the folder only
    /// holds small files (runner scripts, params, <c>$BO_OUTPUT</c>) for the life of one try.
    /// Folders are made 0700 and files 0600: they may hold resolved secrets.
    /// </summary>
    public string TaskRoot { get; init; } = Path.Combine(UserRoot(), "tries");

    /// <summary>
    /// The folder of this user's that <see cref="TaskRoot"/> is in, checked before a task folder is
    /// made: it must be a 0700 folder of this user's, not a link (another user may have made it first
    /// in a shared place). Null: <see cref="TaskRoot"/> itself is checked.
    /// </summary>
    public string? PrivateRoot { get; init; } = UserRoot();

    /// <summary>The folder checked to be this user's own before a task folder is made in it.</summary>
    internal string CheckedRoot =>
        PrivateRoot is { } root && Path.GetFullPath(TaskRoot).StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? root
            : TaskRoot;

    /// <summary>How long one poll waits for the command to finish before answering "running".</summary>
    public TimeSpan PollWindow { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>On cancel, how long the process group has after SIGTERM before it gets SIGKILL.</summary>
    public TimeSpan KillGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After the command exits, how long to wait for the end of its output. Normally immediate;
    /// a background child that keeps stdout open would otherwise hold the task forever.
    /// </summary>
    public TimeSpan OutputDrainTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Exits are seen by SIGCHLD even where pidfds work: the path taken where <c>pidfd_open</c> is
    /// refused, forced for its tests.
    /// </summary>
    internal bool WithoutPidfds { get; init; }

    /// <summary>How many last lines of output a failure message carries.</summary>
    public int FailureTailLines { get; init; } = 20;

    /// <summary>
    /// The scratch root for one engine: hosts on different state folders may run the same
    /// (attempt, task, try) names, so each gets its own folder, named by a hash of its state folder.
    /// </summary>
    public static string TaskRootFor(string stateDirectory)
    {
        var hash = StableHash.Hex(Path.GetFullPath(stateDirectory), 16);
        return Path.Combine(UserRoot(), hash, "tries");
    }

    /// <summary>This user's folder for task folders (see <see cref="TaskRoot"/>).</summary>
    public static string UserRoot()
    {
        if (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime && Directory.Exists(runtime))
        {
            return Path.Combine(runtime, "batchorchestrator");
        }

        var shared = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        return Path.Combine(shared, $"batchorchestrator-{Environment.UserName}");
    }
}
