namespace BatchOrchestrator.Engine.Tests.Scheduling;

/// <summary>
/// A clock a test moves by hand, with timers that fire when it passes their due time (what
/// <c>Task.Delay(…, TimeProvider)</c> uses), so a minute loop runs without waiting a minute.
/// </summary>
internal sealed class FakeClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private DateTimeOffset _now = start;
    private TaskCompletionSource _timerAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Completes when a timer is waiting to fire (the loop has gone to sleep).</summary>
    public Task WaitForTimerAsync()
    {
        lock (_gate)
        {
            return _timers.Count > 0 ? Task.CompletedTask : _timerAdded.Task;
        }
    }

    /// <summary>Moves the clock to <paramref name="time"/>, firing every timer due by then.</summary>
    public void AdvanceTo(DateTimeOffset time)
    {
        List<FakeTimer> due;
        lock (_gate)
        {
            _now = time;
            due = _timers.Where(t => t.DueAt <= time).ToList();
            foreach (var timer in due)
            {
                _timers.Remove(timer);
            }
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    private void Schedule(FakeTimer timer, DateTimeOffset? dueAt)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueAt is { } at)
            {
                timer.DueAt = at;
                _timers.Add(timer);
                _timerAdded.TrySetResult();
                _timerAdded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private sealed class FakeTimer(FakeClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            // Periodic timers are not needed here: a timer fires once.
            clock.Schedule(this, dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetUtcNow() + dueTime);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => clock.Schedule(this, null);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
