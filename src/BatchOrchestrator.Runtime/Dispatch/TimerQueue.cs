namespace BatchOrchestrator.Runtime.Dispatch;

/// <summary>
/// Wakes instances whose messages become visible in the future (durable timers, delayed
/// starts, retries after a failed commit). In memory only: on start, the runtime refills it
/// from the database, which is what makes timers survive a restart.
/// </summary>
internal sealed class TimerQueue(TimeProvider time, Action<string> onDue)
{
    private readonly PriorityQueue<string, DateTime> _due = new();
    private readonly SemaphoreSlim _changed = new(0);
    private readonly Lock _gate = new();

    /// <summary>Timers waiting to fire.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _due.Count;
            }
        }
    }

    public void Add(string instanceId, DateTime visibleAt)
    {
        lock (_gate)
        {
            _due.Enqueue(instanceId, visibleAt);
        }

        _changed.Release();
    }

    public async Task RunAsync(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            TimeSpan wait;
            var fired = new List<string>();
            lock (_gate)
            {
                var now = time.GetUtcNow().UtcDateTime;
                while (_due.TryPeek(out var instanceId, out var at) && at <= now)
                {
                    _due.Dequeue();
                    fired.Add(instanceId);
                }

                wait = _due.TryPeek(out _, out var next) ? Clamp(next - now) : Timeout.InfiniteTimeSpan;
            }

            foreach (var instanceId in fired)
            {
                onDue(instanceId);
            }

            try
            {
                // Wakes at the next due time, or earlier when a timer is added.
                await _changed.WaitAsync(wait, cancellation);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static TimeSpan Clamp(TimeSpan wait) =>
        wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait > TimeSpan.FromMinutes(10) ? TimeSpan.FromMinutes(10) : wait;
}
