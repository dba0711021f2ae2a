using System.Diagnostics;

namespace BatchOrchestrator.Runtime.Dispatch;

/// <summary>
/// Seats for the loops of a worker pool (orchestration dispatchers, activity workers): as many as the
/// pool's size. An orchestrator turn that runs longer than the slow-turn time (its code computing: a
/// template evaluating up to its budget) gives its seat up to the next piece of work, so a few hostile
/// or heavy instances cannot hold every worker while other instances' short turns and activities wait.
/// Up to <c>maxSlow</c> such turns run beside the seated work; past them, slow turns keep their seats
/// and new work queues behind them.
/// </summary>
internal sealed class WorkerSeats(int seats, int maxSlow, TimeSpan slowAfter)
{
    private readonly SemaphoreSlim _free = new(seats);

    /// <summary>One dispatch loop for each seat and each slow turn allowed; each takes a seat before each turn.</summary>
    public IReadOnlyList<Loop> Loops { get; } = [.. Enumerable.Range(0, seats + maxSlow).Select(_ => new Loop())];

    public Task TakeSeatAsync(CancellationToken cancellation) => _free.WaitAsync(cancellation);

    public void ReturnSeat() => _free.Release();

    /// <summary>Gives up the seats of turns that have run for longer than the slow-turn time, every half of it.</summary>
    public async Task WatchAsync(CancellationToken cancellation)
    {
        if (maxSlow == 0 || slowAfter <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(slowAfter / 2);

        // The runtime stops by disposing the timer, which ends the wait with false. A cancelled wait
        // would end it with an OperationCanceledException whose stack trace the timer records when it
        // is cancelled: in Native AOT that formats the trace eagerly, and the first one builds the
        // whole method-name map (~10 ms of CPU at every stop of the runtime).
        using var stop = cancellation.Register(static timer => ((PeriodicTimer)timer!).Dispose(), timer);
        while (await timer.WaitForNextTickAsync(CancellationToken.None))
        {
            foreach (var loop in Loops)
            {
                if (loop.RunningFor() > slowAfter && loop.GiveUpSeat())
                {
                    _free.Release();
                }
            }
        }
    }

    /// <summary>A dispatch loop's turn in progress: since when, and whether its seat was given up.</summary>
    internal sealed class Loop
    {
        private long _started;
        private int _seatGivenUp;

        /// <summary>The loop took its seat, for work that is not timed yet.</summary>
        public void Hold() => Volatile.Write(ref _seatGivenUp, 0);

        /// <summary>A turn starts on the seat the loop holds: from now on the watchdog times it.</summary>
        public void Begin()
        {
            Volatile.Write(ref _started, Stopwatch.GetTimestamp());
        }

        /// <summary>The timed turn ended; the loop keeps its seat (if the watchdog did not take it) for the rest of its work.</summary>
        public void Pause() => Volatile.Write(ref _started, 0);

        /// <summary>Ends the turn and says whether it still holds its seat (then the caller returns it).</summary>
        public bool End()
        {
            Volatile.Write(ref _started, 0);
            return GiveUpSeat();
        }

        /// <summary>Whether the loop still holds the seat it took (the watchdog takes it only from a timed turn).</summary>
        public bool HoldsSeat => Volatile.Read(ref _seatGivenUp) == 0;

        public TimeSpan RunningFor() => Volatile.Read(ref _started) is var started and not 0 ? Stopwatch.GetElapsedTime(started) : TimeSpan.Zero;

        /// <summary>True for the one caller that takes the seat back from this turn (the watchdog or the turn's end).</summary>
        public bool GiveUpSeat() => Interlocked.Exchange(ref _seatGivenUp, 1) == 0;
    }
}
