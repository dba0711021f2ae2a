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
        var exit = new TaskCompletionSource<WaitStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _watched.Add(pid, exit);
            // It may have exited before it was watched, and its SIGCHLD found nothing to reap.
            TryReap(pid, exit);
        }

        return exit.Task;
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
        lock (_gate)
        {
            foreach (var (pid, exit) in _watched)
            {
                TryReap(pid, exit);
            }
        }
    }

    public void Dispose() => _registration.Dispose();

    private void TryReap(int pid, TaskCompletionSource<WaitStatus> exit)
    {
        int status;
        var result = LibC.waitpid(pid, &status, LibC.WNOHANG);
        if (result == pid)
        {
            _watched.Remove(pid);
            exit.TrySetResult(WaitStatus.Decode(status));
        }
        else if (result == -1 && Marshal.GetLastPInvokeError() == LibC.ECHILD)
        {
            _watched.Remove(pid);
            exit.TrySetException(new InvalidOperationException($"Process {pid} was reaped by someone else; its exit status is unknown."));
        }
    }
}
