using System.Diagnostics;
using BatchOrchestrator.Engine.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace BatchOrchestrator.Engine.Tests.Support;

/// <summary>
/// The engine's metrics and spans through OpenTelemetry's SDK into its in-memory exporters, as a
/// host's providers would take them. Listeners are process-wide and tests run side by side, so
/// every read names its project (metrics) or attempt (spans).
/// </summary>
internal sealed class TelemetryCapture : IDisposable
{
    private readonly List<MetricSnapshot> _metrics = [];
    private readonly List<Activity> _spans = [];
    private readonly MeterProvider _meterProvider;
    private readonly TracerProvider _tracerProvider;

    public TelemetryCapture()
    {
        _meterProvider = Sdk.CreateMeterProviderBuilder().AddMeter(TelemetryNames.Source).AddInMemoryExporter(_metrics).Build()!;
        _tracerProvider = Sdk.CreateTracerProviderBuilder().AddSource(TelemetryNames.Source).AddInMemoryExporter(_spans).Build()!;
    }

    /// <summary>Collects the metrics now (cumulative: the totals since the capture started).</summary>
    public void Collect()
    {
        lock (_metrics)
        {
            _metrics.Clear();
        }

        _meterProvider.ForceFlush();
    }

    /// <summary>The sum of a counter (or up-down counter) over the points of a project matching <paramref name="tags"/>.</summary>
    public long Sum(string metric, string project, params (string Key, string Value)[] tags) =>
        Points(metric, project, tags).Sum(p => p.GetSumLong());

    /// <summary>How many values a histogram recorded for a project, over the points matching <paramref name="tags"/>.</summary>
    public long Count(string metric, string project, params (string Key, string Value)[] tags) =>
        Points(metric, project, tags).Sum(p => p.GetHistogramCount());

    /// <summary>The histogram's recorded values' sum.</summary>
    public double HistogramSum(string metric, string project, params (string Key, string Value)[] tags) =>
        Points(metric, project, tags).Sum(p => p.GetHistogramSum());

    /// <summary>Every tag set recorded for a project's metric, as text (to check no attribute is high cardinality).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> TagSets(string metric, string project) =>
        Points(metric, project, []).Select(TagsOf).ToList();

    /// <summary>The spans of one attempt (its own, its tries', its chunks').</summary>
    public IReadOnlyList<Activity> Spans(string attemptId)
    {
        _tracerProvider.ForceFlush();
        lock (_spans)
        {
            return _spans.Where(s => (s.GetTagItem(TelemetryNames.AttemptId) as string) == attemptId).ToList();
        }
    }

    private List<MetricPoint> Points(string metric, string project, (string Key, string Value)[] tags)
    {
        lock (_metrics)
        {
            return _metrics.Where(m => m.Name == metric)
                .SelectMany(m => m.MetricPoints)
                .Where(p => TagsOf(p) is var all && all.GetValueOrDefault(TelemetryNames.Project) == project && tags.All(t => all.GetValueOrDefault(t.Key) == t.Value))
                .ToList();
        }
    }

    private static Dictionary<string, string> TagsOf(MetricPoint point)
    {
        var tags = new Dictionary<string, string>();
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value?.ToString() ?? "";
        }

        return tags;
    }

    public void Dispose()
    {
        _tracerProvider.Dispose();
        _meterProvider.Dispose();
    }
}
