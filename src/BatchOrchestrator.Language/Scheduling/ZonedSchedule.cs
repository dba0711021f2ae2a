using System.Globalization;
using BatchOrchestrator.Language.Time;
using NCrontab;

namespace BatchOrchestrator.Language.Scheduling;

/// <summary>
/// A <see cref="ScheduleDefinition"/> in a workflow's time zone: the session and run times it produces, with the
/// semantics of Digdag's scheduler SPI. Session times follow the wall clock of <see cref="Zone"/> through DST
/// switches (see <see cref="ScheduleRule.RunDelay"/> for run times). <see cref="ScheduleDefinition.Start"/> and
/// <see cref="ScheduleDefinition.End"/> bound the local dates of session times. Immutable and thread-safe; every
/// method takes the current instant as a parameter and reads no clock.
/// </summary>
public sealed class ZonedSchedule
{
    private readonly FiringSequence _firings;

    /// <exception cref="ArgumentException">The rule's cron pattern does not parse (the parser never produces such a rule).</exception>
    public ZonedSchedule(ScheduleDefinition definition, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(zone);
        Definition = definition;
        Zone = zone;
        var cron = CrontabSchedule.TryParse(definition.Rule.CronPattern)
            ?? throw new ArgumentException($"'{definition.Rule.CronPattern}' is not a valid cron pattern", nameof(definition));
        _firings = new FiringSequence(cron, zone, definition.Rule.FiresInRepeatedHour);
    }

    /// <summary>The validated <c>schedule:</c> this computes times for.</summary>
    public ScheduleDefinition Definition { get; }

    /// <summary>The workflow's <c>timezone:</c>; every returned time carries its offset at that instant.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>Whether the server should skip a session while an attempt of an earlier session still runs.</summary>
    public bool SkipOnOvertime => Definition.SkipOnOvertime;

    /// <summary>
    /// The first schedule whose run time is at or after <paramref name="now"/> (to the second) and whose session date
    /// is within start/end; null when the schedule has ended.
    /// </summary>
    public ScheduleTime? GetFirstScheduleTime(DateTimeOffset now)
    {
        var truncated = new DateTime(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        return Bounded(_firings.Next(truncated - Definition.Rule.RunDelay - TimeSpan.FromTicks(1)));
    }

    /// <summary>
    /// The schedule whose session time is the first strictly after <paramref name="lastSessionTime"/> (which need not
    /// be a session time itself), moved up to the start date if earlier; null after the end date.
    /// </summary>
    public ScheduleTime? NextScheduleTime(DateTimeOffset lastSessionTime) => Bounded(_firings.Next(lastSessionTime.UtcDateTime));

    /// <summary>
    /// The schedule whose session time is the last strictly before <paramref name="currentSessionTime"/>: what
    /// <c>last_session_time</c> is. Like Digdag's, it ignores start/end, so the first session still has one.
    /// </summary>
    /// <exception cref="InvalidOperationException">No firing in the 29 years before (impossible for a parsed schedule).</exception>
    public ScheduleTime LastScheduleTime(DateTimeOffset currentSessionTime) =>
        _firings.Previous(currentSessionTime.UtcDateTime) is { } previous
            ? ToScheduleTime(previous)
            : throw new InvalidOperationException($"{Definition.Rule.Describe()} has no session before {currentSessionTime:O}");

    /// <summary>
    /// Up to <paramref name="count"/> schedules from <see cref="GetFirstScheduleTime"/> on, in order; fewer when the
    /// schedule ends. For <c>bo check</c> and <c>bo schedules</c>.
    /// </summary>
    public IReadOnlyList<ScheduleTime> GetUpcoming(DateTimeOffset now, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var result = new List<ScheduleTime>(count);
        for (var time = count == 0 ? null : GetFirstScheduleTime(now); time is not null; time = NextScheduleTime(time.SessionTime))
        {
            result.Add(time);
            if (result.Count == count)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>
    /// Every schedule whose run time is in (<paramref name="after"/>, <paramref name="now"/>], oldest first, lazily —
    /// what a scheduler must act on after sleeping or being down since <paramref name="after"/>. Each is
    /// <see cref="DueAction.SkipDelayed"/> when <c>skip_delayed_by</c> is set and <paramref name="now"/> is later
    /// than its run time plus that duration (as in Digdag), else <see cref="DueAction.Start"/>.
    /// </summary>
    public IEnumerable<DueSession> GetDueSessions(DateTimeOffset after, DateTimeOffset now)
    {
        var first = Bounded(_firings.Next(after.UtcDateTime - Definition.Rule.RunDelay));
        for (var time = first; time is not null && time.RunTime <= now; time = NextScheduleTime(time.SessionTime))
        {
            var late = Definition.SkipDelayedBy is { } skip && now > time.RunTime + skip;
            yield return new DueSession(time, late ? DueAction.SkipDelayed : DueAction.Start);
        }
    }

    /// <summary>
    /// One line for people, e.g. <c>daily at 07:00:00 Asia/Tokyo</c>, followed by the options that are set
    /// (<c>, run 1m after the session time, from 2024-01-01 to 2024-12-31, skip if delayed by 3m, skip on overtime</c>).
    /// </summary>
    public string Describe()
    {
        var parts = new List<string> { $"{Definition.Rule.Describe()} {Zone.Id}" };
        if (Definition.Rule is CronRule or MinutesIntervalRule && Definition.Rule.RunDelay > TimeSpan.Zero)
        {
            parts.Add($"run {DurationText.Format(Definition.Rule.RunDelay)} after the session time");
        }

        var (start, end) = (Definition.Start, Definition.End);
        if (start is not null || end is not null)
        {
            parts.Add((start, end) switch
            {
                ({ } s, { } e) => $"from {Date(s)} to {Date(e)}",
                ({ } s, null) => $"from {Date(s)}",
                _ => $"until {Date(end!.Value)}",
            });
        }

        if (Definition.SkipDelayedBy is { } skip)
        {
            parts.Add($"skip if delayed by {DurationText.Format(skip)}");
        }

        if (Definition.SkipOnOvertime)
        {
            parts.Add("skip on overtime");
        }

        return string.Join(", ", parts);
    }

    public override string ToString() => Describe();

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private ScheduleTime? Bounded(DateTime? sessionUtc)
    {
        if (sessionUtc is not { } session)
        {
            return null;
        }

        if (Definition.Start is { } start && LocalDate(session) < start)
        {
            var startOfDay = ZoneClock.ToUtc(Zone, start.ToDateTime(TimeOnly.MinValue));
            if (_firings.Next(startOfDay - TimeSpan.FromTicks(1)) is not { } firstInRange)
            {
                return null;
            }

            session = firstInRange;
        }

        if (Definition.End is { } end && LocalDate(session) > end)
        {
            return null;
        }

        return ToScheduleTime(session);
    }

    private DateOnly LocalDate(DateTime utc) => DateOnly.FromDateTime(ZoneClock.InZone(Zone, utc).DateTime);

    private ScheduleTime ToScheduleTime(DateTime sessionUtc) =>
        new(ZoneClock.InZone(Zone, sessionUtc), ZoneClock.InZone(Zone, sessionUtc + Definition.Rule.RunDelay));
}
