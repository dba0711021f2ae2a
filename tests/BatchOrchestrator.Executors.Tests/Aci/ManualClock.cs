using System.Collections.Concurrent;

namespace BatchOrchestrator.Executors.Tests.Aci;

/// <summary>
/// A clock a test moves by hand (timeouts without waiting). Waits on it pass at once: a timer
/// moves the clock forward by its due time and fires, and <see cref="Waits"/> keeps each due time.
/// </summary>
internal sealed class ManualClock : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _waits = new();
    private readonly Lock _gate = new();
    private DateTimeOffset _now = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Every wait asked of this clock, in order.</summary>
    public IReadOnlyList<TimeSpan> Waits => [.. _waits];

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        _waits.Enqueue(dueTime);
        Advance(dueTime);

        // Fired on the thread pool, not inside CreateTimer: the caller has not yet stored the timer it is making.
        ThreadPool.QueueUserWorkItem(_ => callback(state));
        return new PassedTimer();
    }

    private sealed class PassedTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
