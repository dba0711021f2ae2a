using System.Diagnostics;
using System.Runtime.InteropServices;
using Jint;

namespace BatchOrchestrator.Language.Templating;

/// <summary>
/// The outer guard of one evaluation, as a Jint constraint (checked between statements and inside long
/// built-in loops): fails it once it has used its budget of the evaluating thread's CPU time, or when
/// the caller's token is cancelled. Armed only around the user's expression.
/// </summary>
/// <remarks>
/// CPU time of the thread, not wall-clock time: on a loaded host a template waits for a core without
/// using its budget, so the guard fires for what the template does, not for how busy the machine is
/// (the 200 ms wall-clock limit it replaces failed real templates under load — and a limit that fires on
/// one replay of an orchestration but not another changes what the orchestration does). Where the
/// platform has no per-thread CPU clock, wall-clock time is used.
/// </remarks>
internal sealed class TemplateDeadline : Constraint
{
    // CLOCK_THREAD_CPUTIME_ID: 3 on Linux, 16 on macOS; elsewhere, or where libc cannot be called, none.
    private static readonly int? ThreadClock = FindThreadClock();

    private long _startNanoseconds;
    private long _budgetNanoseconds;
    private CancellationToken _cancellationToken;
    private bool _armed;

    /// <summary>Reads only external state (a clock, a token), so Jint may check it every few statements.</summary>
    public override bool IsAmortizable => true;

    public void Begin(TimeSpan budget, CancellationToken cancellationToken)
    {
        _budgetNanoseconds = budget.Ticks * 100;
        _cancellationToken = cancellationToken;
        _startNanoseconds = Now();
        _armed = true;
    }

    public void End() => _armed = false;

    public override void Check()
    {
        if (!_armed)
        {
            return;
        }

        if (_cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(_cancellationToken);
        }

        if (Now() - _startNanoseconds > _budgetNanoseconds)
        {
            throw new TimeoutException();
        }
    }

    // Survives Jint's per-entry reset: the window is the one Begin opened.
    public override void Reset()
    {
    }

    private static long Now()
    {
        if (ThreadClock is { } clock && ClockGetTime(clock, out var time) == 0)
        {
            return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
        }

        return (long)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));
    }

    private static int? FindThreadClock()
    {
        int? clock = OperatingSystem.IsLinux() ? 3 : OperatingSystem.IsMacOS() ? 16 : null;
        try
        {
            return clock is { } id && ClockGetTime(id, out _) == 0 ? clock : null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    // DllImport, not LibraryImport: its generated marshalling would need unsafe code in this project.
    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
