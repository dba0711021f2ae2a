using System.Globalization;
using BatchOrchestrator.Language.Model;

namespace BatchOrchestrator.Engine.Sessions;

/// <summary>A session time and, for a scheduled workflow, the session times around it.</summary>
public sealed record SessionTimes(DateTimeOffset SessionTime, DateTimeOffset? LastSessionTime, DateTimeOffset? NextSessionTime)
{
    /// <summary>Instants with an offset (or Z): what an API client sends, taken as they are.</summary>
    private static readonly string[] InstantFormats = ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];

    /// <summary>
    /// The session time of <c>bo run --session</c> (and of the API's <c>sessionTime</c>), in the workflow's time zone:
    /// <c>daily</c> (today 00:00), <c>hourly</c> (this hour), <c>now</c>, <c>YYYY-MM-DD</c>,
    /// <c>"YYYY-MM-DD HH:MM:SS"</c>. Without one, Digdag's rule: the last session of the schedule
    /// at or before now, or today 00:00 when the workflow has no schedule. An ISO-8601 time with
    /// an offset is taken as that instant.
    /// </summary>
    /// <exception cref="FormatException">The text is none of these.</exception>
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
            case { Length: > 19 } given when DateTimeOffset.TryParseExact(given, InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant):
                sessionTime = instant;
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

        throw new FormatException($"'{text}': expected daily, hourly, now, YYYY-MM-DD, \"YYYY-MM-DD HH:MM:SS\" or an ISO-8601 time with an offset");
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
