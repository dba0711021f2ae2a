using System.Globalization;

namespace BatchOrchestrator.Executors.Kubernetes.Logs;

/// <summary>
/// The RFC 3339 timestamp the kubelet puts before each log line with <c>timestamps=true</c>, as
/// nanoseconds since the epoch. The text is not comparable as a string (trailing zeros of the
/// fraction are dropped) and <see cref="DateTimeOffset"/> keeps only 100 ns, so lines written in
/// the same 100 ns would look equal; nanoseconds keep them apart.
/// </summary>
public static class LogTimestamp
{
    /// <summary>Splits <c>2026-01-02T03:04:05.123456789Z text</c>; false when the line has no timestamp.</summary>
    public static bool TrySplit(string line, out long nanos, out string text)
    {
        ArgumentNullException.ThrowIfNull(line);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var stamp = space < 0 ? line : line[..space];
        text = space < 0 ? "" : line[(space + 1)..];
        return TryParse(stamp, out nanos);
    }

    public static bool TryParse(string stamp, out long nanos)
    {
        nanos = 0;
        ArgumentNullException.ThrowIfNull(stamp);
        if (stamp.Length < 20)
        {
            return false;
        }

        var dot = stamp.IndexOf('.', StringComparison.Ordinal);
        var zone = stamp.IndexOfAny(['Z', 'z', '+'], 19);
        if (zone < 0)
        {
            zone = stamp.LastIndexOf('-');
            if (zone < 19)
            {
                return false;
            }
        }

        var whole = (dot > 0 && dot < zone ? stamp[..dot] : stamp[..zone]) + stamp[zone..];
        if (!DateTimeOffset.TryParse(whole.Replace('z', 'Z'), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var seconds))
        {
            return false;
        }

        long fraction = 0;
        if (dot > 0 && dot < zone)
        {
            var digits = stamp[(dot + 1)..zone];
            if (digits.Length is 0 or > 9 || !long.TryParse(digits.PadRight(9, '0'), NumberStyles.None, CultureInfo.InvariantCulture, out fraction))
            {
                return false;
            }
        }

        nanos = (seconds.ToUnixTimeSeconds() * 1_000_000_000L) + fraction;
        return true;
    }

    /// <summary>The whole second a nanosecond time falls in (where a resumed read starts).</summary>
    public static DateTimeOffset Second(long nanos) => DateTimeOffset.FromUnixTimeSeconds(Math.DivRem(nanos, 1_000_000_000L).Quotient);
}
