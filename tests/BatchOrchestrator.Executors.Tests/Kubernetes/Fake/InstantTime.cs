using System.Collections.Concurrent;

namespace BatchOrchestrator.Executors.Tests.Kubernetes.Fake;

/// <summary>
/// A clock whose timers fire at once and write down how long they were asked to wait: a retry's
/// backoff is checked without being waited for.
/// </summary>
internal sealed class InstantTime : TimeProvider
{
    public ConcurrentQueue<TimeSpan> Waits { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Waits.Enqueue(dueTime);
            dueTime = TimeSpan.Zero;
        }

        return System.CreateTimer(callback, state, dueTime, period);
    }
}
