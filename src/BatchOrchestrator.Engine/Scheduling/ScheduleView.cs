namespace BatchOrchestrator.Engine.Scheduling;

/// <summary>
/// A schedule as people see it (<c>bo schedules</c>, <c>GET /api/schedules</c>): the next session
/// the scheduler will consider and when it runs (null once the schedule has ended), and the last
/// one it started.
/// </summary>
public sealed record ScheduleView(
    string Project,
    string Workflow,
    string Schedule,
    string TimeZone,
    bool Enabled,
    DateTimeOffset? NextSessionTime,
    DateTimeOffset? NextRunTime,
    DateTimeOffset? LastSessionTime);
