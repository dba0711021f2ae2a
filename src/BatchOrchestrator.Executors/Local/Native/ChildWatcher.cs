using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace BatchOrchestrator.Executors.Local.Native;

/// <summary>
/// Watches the children started by <see cref="ProcessSpawner"/>: one thread in <c>epoll_wait</c> on
/// each child's output pipe and its <c>pidfd</c>. It reads output into the child's
/// <see cref="OutputPump"/>, reaps the child with <c>waitid(P_PIDFD)</c> when its pidfd is readable,
/// and then completes <see cref="WatchedChild.Exit"/> — a thread-pool item resumes the waiter, so a
/// slow continuation (the engine's finish of a task and the launch of the next) never delays other
/// children's output. A child's end reaches its waiter in one hand-off: it closes its pipe before
/// it becomes a zombie, so by the time its pidfd is readable its output is read (what is left in
/// the pipe is read before the exit is reported).
/// <para>
/// Where <c>pidfd_open</c> is refused (Linux before 5.4, or a seccomp profile that blocks it), exits
/// come by SIGCHLD instead: the signal wakes this thread, which reaps the pids it watches with
/// <c>waitpid(pid, WNOHANG)</c> — only those, so children of System.Diagnostics.Process (which the
/// runtime reaps itself, by pid too) are left alone. Until a child is reaped its pid cannot be
/// reused, so signalling its process group is safe.
/// </para>
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed unsafe class ChildWatcher : IDisposable
{
    private const ulong WakeToken = 0;
    private const int MaxEvents = 64;
    // Main's read size. With the pump's backlog, the text one append sends (up to about two reads)
    // stays below the large object heap's 85,000 bytes, as it did with main's one append a read.
    private const int ReadSize = 16 * 1024;

    // How many reads a child's exit may take to empty its pipe before the exit is reported anyway
    // (the rest is read as usual; the finish waits for it up to the output drain timeout).
    private const int ReadsAtExit = 16;

    private readonly Lock _gate = new();
    private readonly Dictionary<long, WatchedChild> _children = [];
    private readonly int _epoll;
    private readonly int _wake;
    private readonly Thread _thread;
    private readonly PosixSignalRegistration? _sigchld;
    private long _lastId;
    private volatile bool _stopping;

    /// <param name="pidfds">False: exits come by SIGCHLD even where pidfds work (to test that path).</param>
    public ChildWatcher(bool pidfds = true)
    {
        UsesPidfds = pidfds && PidfdsWork();
        _epoll = Check(LibC.epoll_create1(LibC.EPOLL_CLOEXEC), "epoll_create1");
        _wake = Check(LibC.eventfd(0, LibC.EFD_CLOEXEC), "eventfd");
        Control(LibC.EPOLL_CTL_ADD, _wake, WakeToken, LibC.EPOLLIN);
        if (!UsesPidfds)
        {
            _sigchld = PosixSignalRegistration.Create(PosixSignal.SIGCHLD, _ => Wake());
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "bo-child-watch" };
        _thread.Start();
    }

    /// <summary>Whether exits are seen through pidfds (else through SIGCHLD).</summary>
    public bool UsesPidfds { get; }

    /// <summary>
    /// Starts watching a child that was just spawned: its output goes to <paramref name="pump"/>
    /// (this takes <paramref name="outputFd"/> over), its exit to the returned child's Exit.
    /// </summary>
    public WatchedChild Watch(int pid, int outputFd, OutputPump pump)
    {
        // Only the read end, our own open file: the child's end of the pipe stays blocking. The read
        // end has no other status flag to keep (O_CLOEXEC is the descriptor's, not the file's).
        LibC.fcntl(outputFd, LibC.F_SETFL, LibC.O_NONBLOCK);
        var pidFd = -1;
        if (UsesPidfds)
        {
            pidFd = (int)LibC.syscall2(LibC.SYS_pidfd_open, pid, 0);
            if (pidFd < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                LibC.kill(-pid, LibC.SIGKILL);
                LibC.waitpid(pid, null, 0);
                LibC.close(outputFd);
                throw new Win32Exception(error, $"Cannot watch process {pid}: {Marshal.GetPInvokeErrorMessage(error)}");
            }
        }

        WatchedChild child;
        lock (_gate)
        {
            child = new WatchedChild(++_lastId, pid, pidFd, outputFd, pump);
            child.Resume = () => Resume(child);
            _children.Add(child.Id, child);
            Control(LibC.EPOLL_CTL_ADD, outputFd, OutputToken(child), LibC.EPOLLIN | LibC.EPOLLONESHOT);
            if (pidFd >= 0)
            {
                Control(LibC.EPOLL_CTL_ADD, pidFd, ExitToken(child), LibC.EPOLLIN);
            }
        }

        if (!UsesPidfds)
        {
            // It may have exited before it was watched, and its SIGCHLD found nothing to reap.
            Wake();
        }

        return child;
    }

    /// <summary>Sends <paramref name="signal"/> to the process group of a child that has not been reaped.</summary>
    /// <returns>False when the child was already reaped (its group may be gone or reused).</returns>
    public bool SignalGroup(WatchedChild child, int signal)
    {
        lock (_gate)
        {
            if (child.Reaped)
            {
                return false;
            }

            LibC.kill(-child.Pid, signal);
            return true;
        }
    }

    /// <summary>Stops reading the child's output (the command is being disposed) and closes its pipe.</summary>
    public void StopReading(WatchedChild child)
    {
        lock (_gate)
        {
            CloseOutput(child);
            if (child.Reaped)
            {
                _children.Remove(child.Id);
            }
        }
    }

    /// <summary>Stops the thread; children not reaped by now are not waited for.</summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        Wake();
        _thread.Join();
        _sigchld?.Dispose();
        lock (_gate)
        {
            foreach (var child in _children.Values)
            {
                CloseOutput(child);
                if (child.PidFd >= 0)
                {
                    LibC.close(child.PidFd);
                    child.PidFd = -1;
                }

                child.ExitSource.TrySetException(new ObjectDisposedException(nameof(ChildWatcher), $"The executor stopped before process {child.Pid} exited."));
            }

            _children.Clear();
        }

        LibC.close(_wake);
        LibC.close(_epoll);
    }

    private void Run()
    {
        var events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * EpollEvent.Size));
        var buffer = (byte*)NativeMemory.Alloc(ReadSize);
        var exited = new List<(WatchedChild Child, WaitStatus? Status)>();
        try
        {
            while (!_stopping)
            {
                var count = LibC.epoll_wait(_epoll, events, MaxEvents, -1);
                if (count < 0)
                {
                    // Signals the runtime sends its threads (GC suspension) interrupt the wait.
                    continue;
                }

                lock (_gate)
                {
                    for (var i = 0; i < count; i++)
                    {
                        var token = EpollEvent.Data(events, i);
                        if (token == WakeToken)
                        {
                            ulong ignored;
                            LibC.read(_wake, (byte*)&ignored, sizeof(ulong));
                            if (!UsesPidfds)
                            {
                                ReapExitedBySignal(buffer, exited);
                            }
                        }
                        else if (_children.TryGetValue((long)(token >> 1), out var child))
                        {
                            if ((token & 1) == 1)
                            {
                                Reap(child, buffer, exited);
                            }
                            else
                            {
                                ReadOutput(child, buffer, exited);
                            }
                        }
                    }
                }

                // Outside the lock; each completion queues its waiter to the thread pool (the one hand-off).
                foreach (var (child, status) in exited)
                {
                    if (status is { } known)
                    {
                        child.ExitSource.TrySetResult(known);
                    }
                    else
                    {
                        child.ExitSource.TrySetException(new InvalidOperationException($"Process {child.Pid} was reaped by someone else; its exit status is unknown."));
                    }
                }

                exited.Clear();
            }
        }
        finally
        {
            NativeMemory.Free(events);
            NativeMemory.Free(buffer);
        }
    }

    /// <summary>The pidfd is readable: the child has exited (or, rarely, nothing yet).</summary>
    private void Reap(WatchedChild child, byte* buffer, List<(WatchedChild, WaitStatus?)> exited)
    {
        if (child.Reaped)
        {
            return;
        }

        var info = stackalloc byte[LibC.SigInfoSize];
        new Span<byte>(info, LibC.SigInfoSize).Clear();
        var result = LibC.waitid(LibC.P_PIDFD, (uint)child.PidFd, info, LibC.WEXITED | LibC.WNOHANG);
        if (result == 0 && *(int*)(info + LibC.SigInfoPid) == 0)
        {
            return;
        }

        WaitStatus? status = result == 0
            ? WaitStatus.FromChildInfo(*(int*)(info + LibC.SigInfoCode), *(int*)(info + LibC.SigInfoStatus))
            : null;
        Reaped(child, status, buffer, exited);
    }

    /// <summary>SIGCHLD (signals coalesce, so every watched child is checked), when pidfds are not available.</summary>
    private void ReapExitedBySignal(byte* buffer, List<(WatchedChild, WaitStatus?)> exited)
    {
        foreach (var child in _children.Values.Where(c => !c.Reaped).ToList())
        {
            ReapIfExited(child, buffer, exited);
        }
    }

    private void ReapIfExited(WatchedChild child, byte* buffer, List<(WatchedChild, WaitStatus?)> exited)
    {
        int raw;
        var result = LibC.waitpid(child.Pid, &raw, LibC.WNOHANG);
        if (result == child.Pid)
        {
            Reaped(child, WaitStatus.Decode(raw), buffer, exited);
        }
        else if (result == -1 && Marshal.GetLastPInvokeError() == LibC.ECHILD)
        {
            Reaped(child, null, buffer, exited);
        }
    }

    private void Reaped(WatchedChild child, WaitStatus? status, byte* buffer, List<(WatchedChild, WaitStatus?)> exited)
    {
        child.Reaped = true;
        if (child.PidFd >= 0)
        {
            // Taken out before the close: a close alone leaves it in the set while a child being
            // spawned still holds a copy of the descriptor (until its exec), and a reaped pidfd
            // stays readable, so the thread would wake for it again and again.
            Control(LibC.EPOLL_CTL_DEL, child.PidFd, 0, 0);
            LibC.close(child.PidFd);
            child.PidFd = -1;
        }

        // What it wrote before its exit is read before its exit is reported, so the finish finds it
        // there (and, normally, the end of output too) without waiting for another event.
        for (var reads = 0; reads < ReadsAtExit && child.OutputFd >= 0 && !child.Paused; reads++)
        {
            if (!ReadOnce(child, buffer))
            {
                break;
            }
        }

        if (child.OutputFd < 0)
        {
            _children.Remove(child.Id);
        }

        exited.Add((child, status));
    }

    /// <summary>The pipe is readable: one read (children take turns), then it is armed again unless the log store is behind.</summary>
    private void ReadOutput(WatchedChild child, byte* buffer, List<(WatchedChild, WaitStatus?)> exited)
    {
        if (child.OutputFd < 0)
        {
            return;
        }

        ReadOnce(child, buffer);
        if (child.OutputFd >= 0)
        {
            if (!child.Paused)
            {
                Control(LibC.EPOLL_CTL_MOD, child.OutputFd, OutputToken(child), LibC.EPOLLIN | LibC.EPOLLONESHOT);
            }

            return;
        }

        if (child.Reaped)
        {
            _children.Remove(child.Id);
        }
        else if (!UsesPidfds)
        {
            // The end of output usually means the exit: reaped here, it does not wait for SIGCHLD.
            ReapIfExited(child, buffer, exited);
        }
    }

    /// <summary>Reads once; true when it read something (there may be more), false at end of output or when the pipe is empty.</summary>
    private static bool ReadOnce(WatchedChild child, byte* buffer)
    {
        var read = LibC.read(child.OutputFd, buffer, ReadSize);
        if (read > 0)
        {
            if (!child.Pump.Accept(new ReadOnlySpan<byte>(buffer, (int)read), child.Resume!))
            {
                child.Paused = true;
            }

            return true;
        }

        if (read < 0 && Marshal.GetLastPInvokeError() is LibC.EAGAIN or LibC.EINTR)
        {
            return false;
        }

        // End of output (or an error reading, which ends it the same way).
        child.Pump.End();
        LibC.close(child.OutputFd);
        child.OutputFd = -1;
        return false;
    }

    /// <summary>The log store caught up with a paused child (a thread-pool thread): read it again.</summary>
    private void Resume(WatchedChild child)
    {
        lock (_gate)
        {
            child.Paused = false;
            if (child.OutputFd >= 0)
            {
                Control(LibC.EPOLL_CTL_MOD, child.OutputFd, OutputToken(child), LibC.EPOLLIN | LibC.EPOLLONESHOT);
            }
        }
    }

    private void CloseOutput(WatchedChild child)
    {
        if (child.OutputFd >= 0)
        {
            Control(LibC.EPOLL_CTL_DEL, child.OutputFd, 0, 0);
            LibC.close(child.OutputFd);
            child.OutputFd = -1;
        }
    }

    private void Wake()
    {
        ulong one = 1;
        LibC.write(_wake, (byte*)&one, sizeof(ulong));
    }

    private void Control(int operation, int fd, ulong token, uint events)
    {
        var epollEvent = stackalloc byte[16];
        EpollEvent.Write(epollEvent, events, token);
        if (LibC.epoll_ctl(_epoll, operation, fd, epollEvent) != 0 && operation != LibC.EPOLL_CTL_DEL)
        {
            var error = Marshal.GetLastPInvokeError();
            throw new Win32Exception(error, $"Cannot watch file descriptor {fd}: {Marshal.GetPInvokeErrorMessage(error)}");
        }
    }

    private static ulong OutputToken(WatchedChild child) => (ulong)child.Id << 1;

    private static ulong ExitToken(WatchedChild child) => ((ulong)child.Id << 1) | 1;

    /// <summary>
    /// pidfd_open on this process, and waitid(P_PIDFD) on that (not our child: ECHILD where it is
    /// supported, EINVAL on Linux 5.3, which has the first but not the second).
    /// </summary>
    private static bool PidfdsWork()
    {
        var fd = (int)LibC.syscall2(LibC.SYS_pidfd_open, Environment.ProcessId, 0);
        if (fd < 0)
        {
            return false;
        }

        var info = stackalloc byte[LibC.SigInfoSize];
        var supported = LibC.waitid(LibC.P_PIDFD, (uint)fd, info, LibC.WEXITED | LibC.WNOHANG) == 0
            || Marshal.GetLastPInvokeError() == LibC.ECHILD;
        LibC.close(fd);
        return supported;
    }

    private static int Check(int result, string call) =>
        result >= 0 ? result : throw new Win32Exception(Marshal.GetLastPInvokeError(), $"{call} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
}
