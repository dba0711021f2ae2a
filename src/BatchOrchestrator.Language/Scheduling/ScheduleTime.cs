namespace BatchOrchestrator.Language.Scheduling;

/// <summary>
/// One scheduled session: <see cref="SessionTime"/> is the session's <c>session_time</c> (its identity, e.g. local
/// midnight for <c>daily&gt;</c>), <see cref="RunTime"/> is when it should start. Both carry the workflow time
/// zone's UTC offset in effect at that instant, so they print as the user's wall clock.
/// </summary>
public sealed record ScheduleTime(DateTimeOffset SessionTime, DateTimeOffset RunTime);
