namespace BatchOrchestrator.Runtime.Dispatch;

/// <summary>What a runtime has done since it started.</summary>
/// <param name="Turns">Committed orchestration turns.</param>
/// <param name="Replays">Sessions rebuilt from history (cold instances).</param>
/// <param name="ReplayedEvents">History events re-executed by those replays.</param>
/// <param name="CachedSessions">Live sessions in memory now.</param>
/// <param name="Commits">Transactions committed to the database (SQLite's count, through its commit hook).</param>
public sealed record RuntimeStatistics(long Turns, long Replays, long ReplayedEvents, int CachedSessions, long Commits);
