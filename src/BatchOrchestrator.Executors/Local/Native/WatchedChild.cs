namespace BatchOrchestrator.Executors.Local.Native;

/// <summary>
/// One child as <see cref="ChildWatcher"/> sees it: its pidfd (or -1 when exits come by SIGCHLD), its
/// output pipe until the end of output, and its exit. Mutable fields are the watcher's, under its lock.
/// </summary>
internal sealed class WatchedChild(long id, int pid, int pidFd, int outputFd, OutputPump pump)
{
    public long Id { get; } = id;

    public int Pid { get; } = pid;

    public OutputPump Pump { get; } = pump;

    /// <summary>
    /// Completes with the exit status once the child is reaped, after what it wrote before its exit
    /// has been read. Continuations run on the thread pool, never on the watcher thread.
    /// </summary>
    public Task<WaitStatus> Exit => ExitSource.Task;

    internal TaskCompletionSource<WaitStatus> ExitSource { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal int PidFd { get; set; } = pidFd;

    internal int OutputFd { get; set; } = outputFd;

    internal bool Reaped { get; set; }

    /// <summary>Reading waits for the log store to catch up (see <see cref="OutputPump.Backlog"/>).</summary>
    internal bool Paused { get; set; }

    /// <summary>What the pump calls when it has caught up: the watcher reads this child again.</summary>
    internal Action? Resume { get; set; }
}
