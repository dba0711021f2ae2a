using BatchOrchestrator.Language.Time;
using NCrontab;

namespace BatchOrchestrator.Language.Scheduling;

/// <summary>
/// The instants at which a cron pattern fires on a time zone's wall clock, DST-aware:
/// <list type="bullet">
/// <item>a matching wall-clock time inside a spring-forward gap fires once, moved forward by the gap's length
/// (java.time's rule, so <c>30 2 * * *</c> fires at 03:30 on that day); if that lands on a time that also
/// matches, the two are one firing;</item>
/// <item>a matching wall-clock time inside a fall-back overlap fires at its first occurrence, and again at its
/// second only when <c>firesInRepeatedHour</c> (patterns meaning "every hour").</item>
/// </list>
/// Instants are UTC <see cref="DateTime"/>s; the sequence is strictly increasing.
/// </summary>
internal sealed class FiringSequence
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    // Between 1901 and 2099 the calendar, weekdays included, repeats every 28 years, so a pattern that fires at all
    // fires within this span (the parser rejects patterns that never do); searching further would only cost time.
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(366 * 29);

    private readonly CrontabSchedule _cron;
    private readonly TimeZoneInfo _zone;
    private readonly bool _firesInRepeatedHour;

    public FiringSequence(CrontabSchedule cron, TimeZoneInfo zone, bool firesInRepeatedHour)
    {
        _cron = cron;
        _zone = zone;
        _firesInRepeatedHour = firesInRepeatedHour;
    }

    /// <summary>The first firing strictly after <paramref name="afterUtc"/>, or null if none within the horizon.</summary>
    public DateTime? Next(DateTime afterUtc)
    {
        var cursor = afterUtc;
        var offset = ZoneTransition.OffsetAt(_zone, cursor);
        var wall = DateTime.SpecifyKind(cursor + offset, DateTimeKind.Unspecified);
        var horizon = wall + Horizon;

        // Each round either returns or moves past one transition; the bound only guards against a broken zone.
        for (var round = 0; round < 10_000; round++)
        {
            var candidate = DateTime.SpecifyKind(_cron.GetNextOccurrence(wall, horizon), DateTimeKind.Unspecified);
            if (candidate >= horizon)
            {
                return null;
            }

            var instant = DateTime.SpecifyKind(candidate - offset, DateTimeKind.Utc);
            if (ZoneTransition.FindFirst(_zone, cursor, instant) is not { } transition)
            {
                if (!_firesInRepeatedHour && IsSecondOccurrence(candidate, offset))
                {
                    wall = candidate;
                    continue;
                }

                return instant;
            }

            if (transition.IsGap && candidate < transition.AtUtc + transition.After)
            {
                // The candidate does not exist on the wall clock; reading it with the old offset moves it past the gap.
                return instant;
            }

            cursor = transition.AtUtc;
            offset = transition.After;
            wall = DateTime.SpecifyKind(
                transition.IsGap || _firesInRepeatedHour
                    ? transition.AtUtc + transition.After - Tick
                    : transition.AtUtc + transition.Before - Tick, // skip the repeated wall-clock stretch
                DateTimeKind.Unspecified);
        }

        return null;
    }

    /// <summary>The last firing strictly before <paramref name="beforeUtc"/>, or null if none within the horizon.</summary>
    public DateTime? Previous(DateTime beforeUtc)
    {
        // Cron has no reverse step: walk forward from a window before the instant, widening it until it holds a firing.
        var window = TimeSpan.FromHours(1);
        if (Next(beforeUtc) is { } next && Next(next) is { } nextNext)
        {
            window = TimeSpan.FromTicks(Math.Max(window.Ticks, (nextNext - next).Ticks * 2));
        }

        while (window <= Horizon)
        {
            if (beforeUtc - DateTime.MinValue <= window)
            {
                return null;
            }

            DateTime? last = null;
            for (var firing = Next(beforeUtc - window); firing is { } f && f < beforeUtc; firing = Next(f))
            {
                last = f;
            }

            if (last is not null)
            {
                return last;
            }

            window *= 2;
        }

        return null;
    }

    private bool IsSecondOccurrence(DateTime wall, TimeSpan offset) =>
        _zone.IsAmbiguousTime(wall) && offset == _zone.GetAmbiguousTimeOffsets(wall).Min();
}
