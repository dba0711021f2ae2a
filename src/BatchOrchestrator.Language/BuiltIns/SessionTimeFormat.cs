using System.Globalization;

namespace BatchOrchestrator.Language.BuiltIns;

/// <summary>
/// The time formats of the session variables, identical to Digdag's (Java patterns in the names).
/// Every method converts the instant into <paramref name="zone"/> first, so the offset is the one in
/// force at that instant (DST-correct). Culture-invariant.
/// </summary>
public static class SessionTimeFormat
{
    /// <summary><c>yyyy-MM-dd'T'HH:mm:ssxxx</c>, e.g. <c>2026-11-21T00:00:00+09:00</c>; UTC prints <c>+00:00</c>, never <c>Z</c>.</summary>
    public static string Time(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = ToZone(instant, zone);
        return local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + Offset(local.Offset, colon: true);
    }

    /// <summary><c>yyyy-MM-dd</c> in the zone.</summary>
    public static string Date(DateTimeOffset instant, TimeZoneInfo zone) =>
        ToZone(instant, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary><c>yyyyMMdd</c> in the zone.</summary>
    public static string DateCompact(DateTimeOffset instant, TimeZoneInfo zone) =>
        ToZone(instant, zone).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary><c>yyyy-MM-dd HH:mm:ss</c> in the zone.</summary>
    public static string LocalTime(DateTimeOffset instant, TimeZoneInfo zone) =>
        ToZone(instant, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary><c>xx</c>: the zone's offset at that instant, e.g. <c>+0900</c>, <c>-0400</c>, <c>+0000</c>.</summary>
    public static string TzOffset(DateTimeOffset instant, TimeZoneInfo zone) => Offset(ToZone(instant, zone).Offset, colon: false);

    /// <summary>Whole seconds since the Unix epoch (floor, as Java's <c>getEpochSecond</c>).</summary>
    public static long UnixTime(DateTimeOffset instant) => instant.ToUnixTimeSeconds();

    private static DateTimeOffset ToZone(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return TimeZoneInfo.ConvertTime(instant, zone);
    }

    // Java's x patterns print hours and minutes only; offsets with seconds (pre-1900 local mean time) are truncated the same way.
    private static string Offset(TimeSpan offset, bool colon)
    {
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return colon
            ? string.Create(CultureInfo.InvariantCulture, $"{sign}{abs.Hours:00}:{abs.Minutes:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{sign}{abs.Hours:00}{abs.Minutes:00}");
    }
}
