using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Scheduling;

namespace BatchOrchestrator.Language.Model;

/// <summary>A parsed and validated <c>.dig</c> file. The file name is the workflow name.</summary>
public sealed record WorkflowDefinition
{
    public required string Name { get; init; }

    public required string SourcePath { get; init; }

    /// <summary>The root task, named <c>+</c>Name.</summary>
    public required TaskDefinition Root { get; init; }

    /// <summary>The <c>timezone:</c> as written (default <c>UTC</c>).</summary>
    public string TimeZoneId { get; init; } = "UTC";

    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>The validated <c>schedule:</c>, or null when the workflow is not scheduled.</summary>
    public ScheduleDefinition? Schedule { get; init; }

    /// <summary>Session and run times of the schedule in the workflow's time zone, or null.</summary>
    public ZonedSchedule? ZonedSchedule => Schedule is null ? null : new ZonedSchedule(Schedule, TimeZone);

    public SlaDefinition? Sla { get; init; }
}

/// <summary>
/// <c>sla:</c> — a deadline as a time of day (<see cref="Time"/>) or a duration from the session
/// start (<see cref="Duration"/>); when missed, run <see cref="Tasks"/>, send an alert, and/or fail.
/// </summary>
public sealed record SlaDefinition(
    TimeSpan? Time,
    TimeSpan? Duration,
    bool Fail,
    bool Alert,
    TaskDefinition? Tasks,
    SourceLocation Location)
{
    /// <summary>A <c>${...}</c> given for the time or duration, evaluated when the session starts.</summary>
    public string? Template { get; init; }

    /// <summary>True when <see cref="Template"/> gives a duration rather than a time of day.</summary>
    public bool TemplateIsDuration { get; init; }
}
