namespace BatchOrchestrator.Executors.Tests.Aci;

/// <summary>A clock a test moves by hand (timeouts without waiting).</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
