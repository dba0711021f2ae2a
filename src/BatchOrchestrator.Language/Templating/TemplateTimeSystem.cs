using System.Globalization;
using Jint.Runtime;

namespace BatchOrchestrator.Language.Templating;

/// <summary>
/// The clock and zone JavaScript dates see: local time is the workflow's <c>timezone</c> (as Digdag
/// starts Nashorn with <c>-timezone=</c>, so moment.js formats in it), and "now" is the instant the
/// render was given, read once, so every date of one render agrees.
/// </summary>
internal sealed class TemplateTimeSystem(TimeZoneInfo zone, Func<DateTimeOffset> now) : ITimeSystem
{
    private readonly DefaultTimeSystem _zoned = new(zone, CultureInfo.InvariantCulture);
    private DateTimeOffset? _now;

    public TimeZoneInfo DefaultTimeZone => _zoned.DefaultTimeZone;

    public DateTimeOffset GetUtcNow() => _now ??= now().ToUniversalTime();

    public bool TryParse(string date, out long epochMilliseconds) => _zoned.TryParse(date, out epochMilliseconds);

    public TimeSpan GetUtcOffset(long epochMilliseconds) => _zoned.GetUtcOffset(epochMilliseconds);
}
