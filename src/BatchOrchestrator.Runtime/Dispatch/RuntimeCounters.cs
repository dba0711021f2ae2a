namespace BatchOrchestrator.Runtime.Dispatch;

/// <summary>Counters of the work a runtime did; read with <see cref="Snapshot"/>.</summary>
internal sealed class RuntimeCounters
{
    public long Turns;
    public long Replays;
    public long ReplayedEvents;

    public RuntimeStatistics Snapshot(int cachedSessions, long commits) =>
        new(Interlocked.Read(ref Turns), Interlocked.Read(ref Replays), Interlocked.Read(ref ReplayedEvents), cachedSessions, commits);
}
