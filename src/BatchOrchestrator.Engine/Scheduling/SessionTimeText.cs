using System.Globalization;

namespace BatchOrchestrator.Engine.Scheduling;

/// <summary>Times people type for schedules (a backfill's start, a skip's end): a date or a date and time in the workflow's time zone, or ISO-8601 with an offset.</summary>
public static class SessionTimeText
{
    private static readonly string[] LocalFormats = ["yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm"];

    /// <summary>The instant <paramref name="text"/> names; wall-clock times are read in <paramref name="zone"/> (a time skipped by DST moves past the gap).</summary>
    /// <exception cref="ScheduleRequestException">Not a time in one of those forms.</exception>
    public static DateTimeOffset Parse(string text, TimeZoneInfo zone, string what)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var trimmed = text?.Trim() ?? string.Empty;
        if (DateTime.TryParseExact(trimmed, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall))
        {
            while (zone.IsInvalidTime(wall))
            {
                wall = wall.AddMinutes(15);
            }

            return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
        }

        if (trimmed.Length > 10 && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            return TimeZoneInfo.ConvertTime(instant, zone);
        }

        throw new ScheduleRequestException($"{what} '{text}': expected YYYY-MM-DD, \"YYYY-MM-DD HH:MM:SS\" (in the workflow's time zone, {zone.Id}) or an ISO-8601 time with an offset");
    }
}
