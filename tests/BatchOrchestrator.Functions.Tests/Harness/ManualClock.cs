namespace BatchOrchestrator.Functions.Tests.Harness;

/// <summary>
/// A machine's clock that a test sets: what <c>TimeProvider.GetUtcNow()</c> answers. Timers and
/// elapsed-time measurements stay the system's, so nothing that waits is frozen by it.
/// </summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private long _ticks = now.UtcTicks;

    public DateTimeOffset Now
    {
        get => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _ticks, value.UtcTicks);
    }

    public override DateTimeOffset GetUtcNow() => Now;
}
