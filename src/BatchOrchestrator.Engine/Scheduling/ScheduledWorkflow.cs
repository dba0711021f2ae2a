using System.Globalization;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Language.Scheduling;

namespace BatchOrchestrator.Engine.Scheduling;

/// <summary>A workflow with a <c>schedule:</c> in a project's current revision.</summary>
public sealed record ScheduledWorkflow(ProjectRevision Revision, string Workflow, ZonedSchedule Schedule)
{
    public string Project => Revision.Project;

    /// <summary>
    /// What decides which instants are sessions and when they run (cron pattern, run delay, time
    /// zone); options such as <c>skip_delayed_by</c> are not part of it, so changing them keeps
    /// the schedule's place.
    /// </summary>
    public string Fingerprint =>
        $"{Schedule.Definition.Rule.CronPattern}|{Schedule.Definition.Rule.RunDelay.Ticks.ToString(CultureInfo.InvariantCulture)}|{Schedule.Zone.Id}";

    /// <summary>The session before <paramref name="sessionTime"/> and the one after it (<c>last_session_time</c>, <c>next_session_time</c>).</summary>
    public (DateTimeOffset Last, DateTimeOffset? Next) Neighbours(DateTimeOffset sessionTime) =>
        (Schedule.LastScheduleTime(sessionTime).SessionTime, Schedule.NextScheduleTime(sessionTime)?.SessionTime);
}
