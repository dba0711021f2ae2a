using System.Globalization;

namespace BatchOrchestrator.Executors.Tests.Kubernetes.Fake;

/// <summary>Times as the API server writes them: RFC 3339 seconds in objects, RFC 3339 with nanoseconds (trailing zeros dropped, Go's RFC3339Nano) before log lines.</summary>
internal static class FakeTime
{
    public static string Seconds(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Nano(long unixNanos)
    {
        var seconds = Math.DivRem(unixNanos, 1_000_000_000L, out var fraction);
        var whole = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var digits = fraction.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return digits.Length == 0 ? whole + "Z" : $"{whole}.{digits}Z";
    }

    public static long NowNanos() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
}
