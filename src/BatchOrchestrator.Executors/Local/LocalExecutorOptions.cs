namespace BatchOrchestrator.Executors.Local;

/// <summary>Settings of <see cref="LocalCommandExecutor"/>; the defaults suit <c>bo run</c>.</summary>
public sealed record LocalExecutorOptions
{
    /// <summary>
    /// Where per-try folders (<c>$BO_TASK_DIR</c>) are made. Default: under <c>/dev/shm</c> when it
    /// exists, else the temp folder. Memory-backed on purpose: creating and removing a folder per
    /// command on a busy disk costs milliseconds, more than the command itself; the folder only
    /// holds small files (runner scripts, params, <c>$BO_OUTPUT</c>) for the life of one try.
    /// </summary>
    public string TaskRoot { get; init; } = DefaultTaskRoot();

    /// <summary>How long one poll waits for the command to finish before answering "running".</summary>
    public TimeSpan PollWindow { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>On cancel, how long the process group has after SIGTERM before it gets SIGKILL.</summary>
    public TimeSpan KillGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After the command exits, how long to wait for the end of its output. Normally immediate;
    /// a background child that keeps stdout open would otherwise hold the task forever.
    /// </summary>
    public TimeSpan OutputDrainTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many last lines of output a failure message carries.</summary>
    public int FailureTailLines { get; init; } = 20;

    /// <summary>
    /// The scratch root for one engine: hosts on different state folders may run the same
    /// (attempt, task, try) names, so each gets its own folder, named by a hash of its state folder.
    /// </summary>
    public static string TaskRootFor(string stateDirectory)
    {
        var hash = StableHash.Hex(Path.GetFullPath(stateDirectory), 16);
        return Path.Combine(Path.GetDirectoryName(DefaultTaskRoot())!, hash, "tries");
    }

    private static string DefaultTaskRoot()
    {
        var root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        return Path.Combine(root, $"batchorchestrator-{Environment.UserName}", "tries");
    }
}
