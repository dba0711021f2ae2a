using System.Globalization;

namespace BatchOrchestrator.Language.Time;

/// <summary>The clock of <c>sla:</c> — reading <c>HH:MM[:SS]</c> and finding the deadline of an attempt.</summary>
public static class SlaClock
{
    /// <summary>Reads <c>HH:MM</c> or <c>HH:MM:SS</c> (minutes and seconds below 60, hours at most <paramref name="maxHours"/>).</summary>
    public static bool TryParse(string text, int maxHours, out TimeSpan value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = default;
        var parts = text.Trim().Split(':');
        if (parts.Length is not (2 or 3) || !parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
        {
            return false;
        }

        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            || !int.TryParse(parts.Length == 3 ? parts[2] : "0", NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || minutes >= 60 || seconds >= 60 || hours > maxHours)
        {
            return false;
        }

        value = new TimeSpan(hours, minutes, seconds);
        return true;
    }

    /// <summary>
    /// When an attempt that started at <paramref name="startedUtc"/> misses its SLA: after
    /// <paramref name="duration"/>, or at the first <paramref name="timeOfDay"/> (in the workflow's
    /// zone) at or after the start.
    /// </summary>
    public static DateTime Deadline(TimeZoneInfo zone, DateTime startedUtc, TimeSpan? timeOfDay, TimeSpan? duration)
    {
        ArgumentNullException.ThrowIfNull(zone);
        startedUtc = DateTime.SpecifyKind(startedUtc, DateTimeKind.Utc);
        if (duration is { } span)
        {
            return startedUtc + span;
        }

        var time = timeOfDay ?? throw new ArgumentException("an SLA has a time of day or a duration", nameof(timeOfDay));
        var local = ZoneClock.InZone(zone, startedUtc).DateTime;
        var deadline = ZoneClock.ToUtc(zone, local.Date + time);
        return deadline >= startedUtc ? deadline : ZoneClock.ToUtc(zone, local.Date.AddDays(1) + time);
    }
}
