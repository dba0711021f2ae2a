using System.Globalization;

namespace BatchOrchestrator.Language.Time;

/// <summary>
/// Resolves the <c>timezone:</c> of a workflow: IANA names (<c>Asia/Tokyo</c>), <c>UTC</c>, and fixed
/// offsets (<c>+09:00</c>), as Digdag's <c>ZoneId.of</c> accepts them.
/// </summary>
public static class WorkflowTimeZone
{
    public static TimeZoneInfo Utc => TimeZoneInfo.Utc;

    public static bool TryResolve(string id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        if (id is "UTC" or "Z" or "GMT" or "Etc/UTC")
        {
            return true;
        }

        if (TryParseOffset(id, out var offset))
        {
            zone = offset == TimeSpan.Zero
                ? TimeZoneInfo.Utc
                : TimeZoneInfo.CreateCustomTimeZone(id, offset, id, id);
            return true;
        }

        // Windows names would resolve through ICU too; only IANA ids are portable across hosts.
        if (!id.Contains('/', StringComparison.Ordinal) && id is not ("UTC" or "GMT"))
        {
            return false;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return zone.HasIanaId;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
        catch (InvalidTimeZoneException)
        {
            return false;
        }
    }

    /// <summary>Known IANA names, for "did you mean".</summary>
    public static IEnumerable<string> KnownIds() =>
        TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Where(id => id.Contains('/', StringComparison.Ordinal));

    private static bool TryParseOffset(string id, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        var text = id.StartsWith("UTC", StringComparison.Ordinal) || id.StartsWith("GMT", StringComparison.Ordinal) ? id[3..] : id;
        if (text.Length < 2 || text[0] is not ('+' or '-'))
        {
            return false;
        }

        var sign = text[0] == '-' ? -1 : 1;
        var body = text[1..];
        string[] formats = ["hh\\:mm", "hhmm", "hh", "h"];
        if (!TimeSpan.TryParseExact(body, formats, CultureInfo.InvariantCulture, out var span) || span > TimeSpan.FromHours(18))
        {
            return false;
        }

        offset = sign * span;
        return true;
    }
}
