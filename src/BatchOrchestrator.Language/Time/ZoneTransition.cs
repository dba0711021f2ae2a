namespace BatchOrchestrator.Language.Time;

/// <summary>A change of a time zone's UTC offset at instant <see cref="AtUtc"/> (a DST switch or a change of standard time).</summary>
internal readonly record struct ZoneTransition(DateTime AtUtc, TimeSpan Before, TimeSpan After)
{
    /// <summary>Clocks jump forward: wall-clock times in [AtUtc + Before, AtUtc + After) do not exist.</summary>
    public bool IsGap => After > Before;

    /// <summary>
    /// The first transition in (<paramref name="fromUtc"/>, <paramref name="toUtc"/>], exact to the tick, or null.
    /// Assumes a zone changes its offset at most once a day, which every tz database zone does.
    /// </summary>
    public static ZoneTransition? FindFirst(TimeZoneInfo zone, DateTime fromUtc, DateTime toUtc)
    {
        var before = OffsetAt(zone, fromUtc);
        var low = fromUtc;
        while (low < toUtc)
        {
            var high = toUtc - low > TimeSpan.FromDays(1) ? low.AddDays(1) : toUtc;
            if (OffsetAt(zone, high) != before)
            {
                // Invariant: the offset at low is `before`, at high it is not.
                while (high.Ticks - low.Ticks > 1)
                {
                    var middle = new DateTime(low.Ticks + ((high.Ticks - low.Ticks) / 2), DateTimeKind.Utc);
                    if (OffsetAt(zone, middle) == before)
                    {
                        low = middle;
                    }
                    else
                    {
                        high = middle;
                    }
                }

                return new ZoneTransition(high, before, OffsetAt(zone, high));
            }

            low = high;
        }

        return null;
    }

    public static TimeSpan OffsetAt(TimeZoneInfo zone, DateTime utc) => zone.GetUtcOffset(new DateTimeOffset(utc, TimeSpan.Zero));
}
