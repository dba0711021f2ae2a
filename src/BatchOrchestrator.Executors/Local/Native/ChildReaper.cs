using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace BatchOrchestrator.Executors.Local.Native;

/// <summary>
/// Waits for the exit of children started by <see cref="ProcessSpawner"/> without a thread per
/// child: on every SIGCHLD it reaps, with <c>waitpid(pid, WNOHANG)</c>, only the pids it watches,
/// so children of System.Diagnostics.Process (which the runtime reaps itself, by pid too) are
/// left alone. Signals coalesce, so each SIGCHLD checks every watched child.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed unsafe class ChildReaper : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, TaskCompletionSource<WaitStatus>> _watched = [];
    private readonly PosixSignalRegistration _registration;

    public ChildReaper()
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGCHLD, _ => ReapExited());
    }

    /// <summary>
    /// Completes when <paramref name="pid"/> exits, with its status. Until then the pid stays
    /// unreaped, so it cannot be reused and signalling its process group is safe.
    /// </summary>
    public Task<WaitStatus> Watch(int pid)
    {
        // Completed outside the lock with synchronous continuations: the waiting poll resumes on
        // the signal's thread-pool thread instead of paying one more hop per command.
        var exit = new TaskCompletionSource<WaitStatus>();
        Action? complete;
        lock (_gate)
        {
            _watched.Add(pid, exit);
            // It may have exited before it was watched, and its SIGCHLD found nothing to reap.
            complete = TryReap(pid, exit);
        }

        complete?.Invoke();
        return exit.Task;
    }

    /// <summary>
    /// Reaps <paramref name="pid"/> now if it has exited. Called when the child's output ends, which
    /// is usually its exit: its waiter then resumes on the thread that saw the end of output instead
    /// of waiting for SIGCHLD, which reaches us through the runtime's signal thread and one more
    /// thread-pool item. When the child is not a zombie yet (or something else holds its output
    /// open), nothing happens and its SIGCHLD reaps it as before.
    /// </summary>
    public void ReapIfExited(int pid)
    {
        Action? complete = null;
        lock (_gate)
        {
            if (_watched.TryGetValue(pid, out var exit))
            {
                complete = TryReap(pid, exit);
            }
        }

        complete?.Invoke();
    }

    /// <summary>Sends <paramref name="signal"/> to the process group of a watched child that has not been reaped.</summary>
    /// <returns>False when the child was already reaped (its group may be gone or reused).</returns>
    public bool SignalGroup(int pid, int signal)
    {
        lock (_gate)
        {
            if (!_watched.ContainsKey(pid))
            {
                return false;
            }

            LibC.kill(-pid, signal);
            return true;
        }
    }

    /// <summary>Checks every watched child once (also a safety net should a signal be missed).</summary>
    public void ReapExited()
    {
        List<Action>? completions = null;
        lock (_gate)
        {
            foreach (var (pid, exit) in _watched)
            {
                if (TryReap(pid, exit) is { } complete)
                {
                    (completions ??= []).Add(complete);
                }
            }
        }

        completions?.ForEach(complete => complete());
    }

    public void Dispose() => _registration.Dispose();

    /// <summary>Reaps <paramref name="pid"/> if it exited; returns how to complete its waiters, to be run outside the lock.</summary>
    private Action? TryReap(int pid, TaskCompletionSource<WaitStatus> exit)
    {
        int status;
        var result = LibC.waitpid(pid, &status, LibC.WNOHANG);
        if (result == pid)
        {
            _watched.Remove(pid);
            var decoded = WaitStatus.Decode(status);
            return () => exit.TrySetResult(decoded);
        }

        if (result == -1 && Marshal.GetLastPInvokeError() == LibC.ECHILD)
        {
            _watched.Remove(pid);
            return () => exit.TrySetException(new InvalidOperationException($"Process {pid} was reaped by someone else; its exit status is unknown."));
        }

        return null;
    }
}
