namespace BatchOrchestrator.Language.Time;

/// <summary>Conversions between instants and a zone's wall clock that never throw on DST gaps or overlaps.</summary>
internal static class ZoneClock
{
    /// <summary>The instant as a <see cref="DateTimeOffset"/> carrying the zone's offset at that instant.</summary>
    public static DateTimeOffset InZone(TimeZoneInfo zone, DateTime utc)
    {
        var offset = ZoneTransition.OffsetAt(zone, utc);

        // DateTimeOffset only holds whole minutes; pre-1900 local mean times have seconds in their offsets.
        var wholeMinutes = TimeSpan.FromMinutes(Math.Truncate(offset.TotalMinutes));
        return new DateTimeOffset(utc, TimeSpan.Zero).ToOffset(wholeMinutes);
    }

    /// <summary>
    /// The instant of a wall-clock time, resolved as java.time's ZonedDateTime does: a time in a gap moves forward
    /// by the gap's length, a time in an overlap takes the earlier instant (the offset before the switch).
    /// </summary>
    public static DateTime ToUtc(TimeZoneInfo zone, DateTime wall)
    {
        wall = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(wall))
        {
            return DateTime.SpecifyKind(wall - zone.GetAmbiguousTimeOffsets(wall).Max(), DateTimeKind.Utc);
        }

        if (zone.IsInvalidTime(wall))
        {
            // Reading the wall time with the offset before the gap is the same as moving it forward by the gap.
            var offsetBefore = zone.GetUtcOffset(wall.AddDays(-1));
            return DateTime.SpecifyKind(wall - offsetBefore, DateTimeKind.Utc);
        }

        return DateTime.SpecifyKind(wall - zone.GetUtcOffset(wall), DateTimeKind.Utc);
    }
}
