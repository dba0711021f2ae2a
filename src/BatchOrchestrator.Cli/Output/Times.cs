using System.Globalization;

namespace BatchOrchestrator.Cli.Output;

/// <summary>Instants as listings show them: <c>2026-11-21 00:00:00 +00:00</c>.</summary>
public static class Times
{
    public static string Format(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    public static string Format(DateTimeOffset? time) => time is { } t ? Format(t) : "-";

    /// <summary>A time of day in the machine's zone, for task start times within one run.</summary>
    public static string Clock(DateTimeOffset? time) =>
        time is { } t ? t.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "-";
}
