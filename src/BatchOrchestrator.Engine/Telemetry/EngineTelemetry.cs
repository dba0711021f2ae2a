using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BatchOrchestrator.Engine.Telemetry;

/// <summary>
/// The engine's one <see cref="System.Diagnostics.Metrics.Meter"/> and one
/// <see cref="System.Diagnostics.ActivitySource"/>, both named <see cref="TelemetryNames.Source"/>,
/// and their instruments. BCL types only: a host chooses where they go (OpenTelemetry's
/// exporters, dotnet-counters, nothing). With no listener an instrument costs a flag check.
/// Recording methods are <see cref="ConditionalAttribute"/> on <c>BO_TELEMETRY</c>: built with
/// <c>-p:BoTelemetry=false</c>, their calls and the work of their arguments are compiled out.
/// </summary>
public sealed class EngineTelemetry : IDisposable
{
    /// <param name="meters">The host's meter factory (dependency injection), or null for a meter of its own.</param>
    public EngineTelemetry(IMeterFactory? meters = null)
    {
        var version = typeof(EngineTelemetry).Assembly.GetName().Version?.ToString();
        Meter = meters?.Create(TelemetryNames.Source, version) ?? new Meter(TelemetryNames.Source, version);
        Source = new ActivitySource(TelemetryNames.Source, version);
        AttemptsStarted = Meter.CreateCounter<long>(TelemetryNames.AttemptStarted, "{attempt}", "Attempts started");
        AttemptsFinished = Meter.CreateCounter<long>(TelemetryNames.AttemptFinished, "{attempt}", "Attempts finished, by outcome");
        AttemptDuration = Seconds(TelemetryNames.AttemptDuration, "From an attempt's start to its end");
        TaskTries = Meter.CreateCounter<long>(TelemetryNames.TaskTries, "{try}", "Task tries finished, by operator and outcome");
        TaskTryDuration = Seconds(TelemetryNames.TaskTryDuration, "From a try's start to its end");
        TaskRetries = Meter.CreateCounter<long>(TelemetryNames.TaskRetries, "{retry}", "Failed tries that _retry runs again");
        TaskQueueDuration = Seconds(TelemetryNames.TaskQueueDuration, "From a work task being ready to its activity running");
        TasksRunning = Meter.CreateUpDownCounter<long>(TelemetryNames.TasksRunning, "{task}", "Task tries running now");
        TasksQueued = Meter.CreateUpDownCounter<long>(TelemetryNames.TasksQueued, "{task}", "Work tasks ready whose activity has not started yet");
        ScheduleLag = Seconds(TelemetryNames.ScheduleLag, "From a scheduled session's due time to its start");
        ScheduleSkipped = Meter.CreateCounter<long>(TelemetryNames.ScheduleSkipped, "{session}", "Scheduled sessions skipped, by reason");
        ExecutorLaunchDuration = Seconds(TelemetryNames.ExecutorLaunchDuration, "How long an executor took to launch a command (process, Job, container group)");
        ExecutorStuck = Meter.CreateCounter<long>(TelemetryNames.ExecutorStuck, "{command}", "Commands failed while pending (image pull, unschedulable), by reason");
    }

    /// <summary>
    /// Bucket boundaries for durations in seconds, from a spawn (5 ms) to a batch (6 h), given as
    /// advice: OpenTelemetry's default boundaries are meant for milliseconds.
    /// </summary>
    private static readonly IReadOnlyList<double> SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600];

    public Meter Meter { get; }

    public ActivitySource Source { get; }

    public Counter<long> AttemptsStarted { get; }

    public Counter<long> AttemptsFinished { get; }

    public Histogram<double> AttemptDuration { get; }

    public Counter<long> TaskTries { get; }

    public Histogram<double> TaskTryDuration { get; }

    public Counter<long> TaskRetries { get; }

    public Histogram<double> TaskQueueDuration { get; }

    public UpDownCounter<long> TasksRunning { get; }

    public UpDownCounter<long> TasksQueued { get; }

    public Histogram<double> ScheduleLag { get; }

    public Counter<long> ScheduleSkipped { get; }

    public Histogram<double> ExecutorLaunchDuration { get; }

    public Counter<long> ExecutorStuck { get; }

    /// <summary>True when something listens to the engine's spans: spans are built only then.</summary>
    public bool Tracing => Source.HasListeners();

    /// <summary>A scheduled session started: its lag behind its due time.</summary>
    [Conditional("BO_TELEMETRY")]
    public void SessionScheduled(string project, string workflow, TimeSpan lag) =>
        ScheduleLag.Record(Math.Max(0, lag.TotalSeconds), Tags.Of(project, workflow));

    /// <summary>A scheduled session skipped (<c>skip_delayed_by</c>, <c>skip_on_overtime</c>, a skip by hand).</summary>
    [Conditional("BO_TELEMETRY")]
    public void SessionSkipped(string project, string workflow, string reason) =>
        ScheduleSkipped.Add(1, Tags.Of(project, workflow, (TelemetryNames.Reason, reason)));

    private Histogram<double> Seconds(string name, string description) =>
        Meter.CreateHistogram(name, "s", description, tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    /// <summary>
    /// The host's durable runtime reports its backlog (<see cref="TelemetryNames.RuntimeBacklog"/>,
    /// by <see cref="TelemetryNames.WorkItemKind"/>), read when the metrics are collected.
    /// </summary>
    public void ObserveRuntimeBacklog(Func<IEnumerable<Measurement<long>>> read) =>
        Meter.CreateObservableGauge(TelemetryNames.RuntimeBacklog, read, "{work_item}", "Work items waiting in the durable runtime: orchestrations for a dispatcher, activities for a worker, timers to fire");

    public void Dispose()
    {
        Source.Dispose();
        Meter.Dispose();
    }
}
