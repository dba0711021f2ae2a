namespace BatchOrchestrator.Engine.Telemetry;

/// <summary>
/// The trace an attempt's spans belong to, chosen by whoever starts it (not orchestrator code,
/// so it may be random): one trace per attempt, whatever its host and however often it replays.
/// </summary>
/// <param name="TraceId">The attempt's trace id (32 hex digits).</param>
/// <param name="StartedBy">The W3C <c>traceparent</c> of what started it — the HTTP request, the schedule's tick, <c>bo run</c> — linked from the attempt's span; null when nothing was traced.</param>
public sealed record AttemptTrace(string TraceId, string? StartedBy)
{
    /// <summary>A new trace for an attempt started now, linked to the current span if there is one.</summary>
    public static AttemptTrace New() =>
        new(System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString(), System.Diagnostics.Activity.Current?.Id);
}
