using BatchOrchestrator.Language.Parameters;
using BatchOrchestrator.Language.Time;

namespace BatchOrchestrator.Language.Templating;

/// <summary>What one render call runs in besides the params: the local time zone, "now", and the caller's cancellation.</summary>
/// <param name="TimeZone">Local time of JavaScript dates and moment.js: the params' <c>timezone</c> (UTC when absent or unknown).</param>
/// <param name="Now">What <c>moment()</c> and <c>new Date()</c> read, asked at most once per render.</param>
/// <param name="CancellationToken">Stops an evaluation in progress (a killed attempt).</param>
internal sealed record RenderContext(TimeZoneInfo TimeZone, Func<DateTimeOffset> Now, CancellationToken CancellationToken)
{
    public static RenderContext For(ParamSet parameters, TemplateEngineOptions options, DateTimeOffset? now, CancellationToken cancellationToken)
    {
        var zone = parameters.TryGet("timezone", out var value)
            && value.ValueKind == System.Text.Json.JsonValueKind.String
            && WorkflowTimeZone.TryResolve(value.GetString()!, out var resolved)
                ? resolved
                : TimeZoneInfo.Utc;
        return new RenderContext(zone, now is { } instant ? () => instant : options.Clock.GetUtcNow, cancellationToken);
    }
}
