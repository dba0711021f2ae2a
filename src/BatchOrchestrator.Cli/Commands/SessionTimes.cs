using System.Globalization;
using BatchOrchestrator.Language.Model;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>A session time and, for a scheduled workflow, the session times around it.</summary>
public sealed record SessionTimes(DateTimeOffset SessionTime, DateTimeOffset? LastSessionTime, DateTimeOffset? NextSessionTime)
{
    /// <summary>
    /// The session time of <c>bo run --session</c>, in the workflow's time zone:
    /// <c>daily</c> (today 00:00), <c>hourly</c> (this hour), <c>now</c>, <c>YYYY-MM-DD</c>,
    /// <c>"YYYY-MM-DD HH:MM:SS"</c>. Without one, Digdag's rule: the last session of the schedule
    /// at or before now, or today 00:00 when the workflow has no schedule.
    /// </summary>
    public static SessionTimes Resolve(string? text, WorkflowDefinition definition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var zone = definition.TimeZone;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var wallNow = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, local.Second, DateTimeKind.Unspecified);
        DateTimeOffset sessionTime;
        switch (text?.Trim())
        {
            case null or "":
                sessionTime = definition.ZonedSchedule is { } schedule
                    ? schedule.LastScheduleTime(InZone(zone, wallNow).AddSeconds(1)).SessionTime
                    : InZone(zone, wallNow.Date);
                break;
            case "daily":
                sessionTime = InZone(zone, wallNow.Date);
                break;
            case "hourly":
                sessionTime = InZone(zone, wallNow.Date.AddHours(wallNow.Hour));
                break;
            case "now":
                sessionTime = InZone(zone, wallNow);
                break;
            default:
                sessionTime = InZone(zone, ParseWallTime(text.Trim()));
                break;
        }

        return Around(definition, sessionTime);
    }

    /// <summary>A given session time with its neighbours in the workflow's schedule (none when it has no schedule).</summary>
    public static SessionTimes Around(WorkflowDefinition definition, DateTimeOffset sessionTime)
    {
        ArgumentNullException.ThrowIfNull(definition);
        sessionTime = TimeZoneInfo.ConvertTime(sessionTime, definition.TimeZone);
        return definition.ZonedSchedule is { } zoned
            ? new SessionTimes(sessionTime, zoned.LastScheduleTime(sessionTime).SessionTime, zoned.NextScheduleTime(sessionTime)?.SessionTime)
            : new SessionTimes(sessionTime, null, null);
    }

    private static DateTime ParseWallTime(string text)
    {
        string[] formats = ["yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss"];
        if (DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall))
        {
            return DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        }

        throw new UserError($"--session '{text}': expected daily, hourly, now, YYYY-MM-DD or \"YYYY-MM-DD HH:MM:SS\"", 2);
    }

    /// <summary>A wall-clock time in the zone; a time skipped by a DST switch moves forward past the gap, as clocks do.</summary>
    private static DateTimeOffset InZone(TimeZoneInfo zone, DateTime wall)
    {
        while (zone.IsInvalidTime(wall))
        {
            wall = wall.AddMinutes(15);
        }

        return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }
}
