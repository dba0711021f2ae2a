using System.Diagnostics.Tracing;

namespace BatchOrchestrator.Bench.Engine;

/// <summary>
/// With BO_BENCH_ALLOCS=1 (JIT build only: Native AOT ships without EventSource), tallies the
/// runtime's allocation samples (GC AllocationTick, one about every 100 KB allocated) by type, so
/// the bytes a task allocates can be told apart by what allocates them.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (int Samples, long Bytes)> _byType = new(StringComparer.Ordinal);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
        {
            return;
        }

        var type = eventData.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload[t] as string ?? "?" : "?";
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(eventData.Payload[a], System.Globalization.CultureInfo.InvariantCulture) : 0;
        lock (_gate)
        {
            var (samples, bytes) = _byType.GetValueOrDefault(type);
            _byType[type] = (samples + 1, bytes + amount);
        }
    }

    /// <summary>The types with the most sampled bytes, one a line.</summary>
    public IEnumerable<string> Top(int count)
    {
        lock (_gate)
        {
            return [.. _byType.OrderByDescending(p => p.Value.Bytes).Take(count).Select(p => $"{p.Value.Bytes / 1024,8} KB {p.Value.Samples,5} samples  {p.Key}")];
        }
    }
}
