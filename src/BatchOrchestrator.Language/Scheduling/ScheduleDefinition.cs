using BatchOrchestrator.Language.Diagnostics;

namespace BatchOrchestrator.Language.Scheduling;

/// <summary>
/// A workflow's <c>schedule:</c>, validated: one rule (<c>daily&gt;</c>, <c>cron&gt;</c>, ...) and its options.
/// <see cref="Start"/> and <see cref="End"/> bound the local dates of session times, both inclusive.
/// </summary>
/// <param name="Rule">When sessions happen.</param>
/// <param name="SkipOnOvertime">Skip a session while an attempt of an earlier one still runs; the server applies it.</param>
/// <param name="SkipDelayedBy">Skip a session once this much time has passed since its run time; null never skips.</param>
/// <param name="Start">First local date that may have sessions.</param>
/// <param name="End">Last local date that may have sessions.</param>
/// <param name="Location">Where <c>schedule:</c> is written.</param>
public sealed record ScheduleDefinition(
    ScheduleRule Rule,
    bool SkipOnOvertime,
    TimeSpan? SkipDelayedBy,
    DateOnly? Start,
    DateOnly? End,
    SourceLocation Location);
