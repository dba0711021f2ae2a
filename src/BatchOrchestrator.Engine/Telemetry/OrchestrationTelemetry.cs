using System.Diagnostics;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Language.Compilation;

namespace BatchOrchestrator.Engine.Telemetry;

/// <summary>
/// What one orchestration (an attempt's, or a chunk's) records: the attempt's and its tries'
/// metrics and spans.
/// </summary>
/// <remarks>
/// Orchestrator code runs again on every replay, so it records only while the context is not
/// replaying: each step is recorded by the one execution that did it first, on either host.
/// Times are the orchestration's own (<see cref="IOrchestrationContext.CurrentUtcDateTime"/>), so a
/// try that started in one turn and ended in another — another process, on Azure — has its true
/// span. Span ids are derived (<see cref="SpanIdentity"/>): a parent's id is known to children
/// that end before it. Every recording method is compiled out with <c>BO_TELEMETRY</c>.
/// </remarks>
internal sealed class OrchestrationTelemetry
{
    private readonly IOrchestrationContext _context;
    private readonly AttemptInput _input;
    private readonly EngineTelemetry? _telemetry;
    private readonly ActivityTraceId _trace;
    private readonly Dictionary<string, OpenTry> _open = new(StringComparer.Ordinal);
    private readonly DateTime _startedAt;
    private readonly ActivitySpanId _parent;

    private OrchestrationTelemetry(IOrchestrationContext context, AttemptInput input, EngineTelemetry? telemetry, ActivitySpanId span, ActivitySpanId parent)
    {
        _context = context;
        _input = input;
        _telemetry = telemetry;
        _trace = input.Trace is { } trace ? ActivityTraceId.CreateFromString(trace.TraceId) : SpanIdentity.TraceOf(input.AttemptId);
        _startedAt = context.CurrentUtcDateTime;
        Span = span;
        _parent = parent;
    }

    /// <summary>This orchestration's own span: the attempt's, or the chunk's.</summary>
    public ActivitySpanId Span { get; }

    public static OrchestrationTelemetry ForAttempt(IOrchestrationContext context, AttemptInput input, EngineTelemetry? telemetry) =>
        new(context, input, telemetry, AttemptSpan(input), default);

    public static OrchestrationTelemetry ForChunk(IOrchestrationContext context, ChunkInput input, EngineTelemetry? telemetry)
    {
        var trace = input.Attempt.Trace is { } t ? ActivityTraceId.CreateFromString(t.TraceId) : SpanIdentity.TraceOf(input.Attempt.AttemptId);
        var parent = input.ParentSpanId is { } id ? ActivitySpanId.CreateFromString(id) : AttemptSpan(input.Attempt);
        return new(context, input.Attempt, telemetry, SpanIdentity.Derive(trace, "chunk " + context.InstanceId), parent);
    }

    private static ActivitySpanId AttemptSpan(AttemptInput input) =>
        SpanIdentity.Derive(input.Trace is { } t ? ActivityTraceId.CreateFromString(t.TraceId) : SpanIdentity.TraceOf(input.AttemptId), "attempt");

    private bool Records => _telemetry is not null && !_context.IsReplaying;

    private string Project => _input.ProjectName;

    private string Workflow => _input.Plan.WorkflowName;

    /// <summary>The span of a task's try running now, for a chunk it starts (its span's parent); null when not traced.</summary>
    public string? SpanOf(string taskName) =>
        _open.TryGetValue(taskName, out var open) && open.Span != default ? open.Span.ToHexString() : null;

    [Conditional("BO_TELEMETRY")]
    public void AttemptStarted()
    {
        if (Records)
        {
            _telemetry!.AttemptsStarted.Add(1, Tags.Of(Project, Workflow));
        }
    }

    [Conditional("BO_TELEMETRY")]
    public void AttemptFinished(bool succeeded, string? error)
    {
        if (!Records)
        {
            return;
        }

        var outcome = succeeded ? TelemetryNames.Success : TelemetryNames.Failure;
        var tags = Tags.Of(Project, Workflow, (TelemetryNames.Outcome, outcome));
        _telemetry!.AttemptsFinished.Add(1, tags);
        _telemetry.AttemptDuration.Record((_context.CurrentUtcDateTime - _startedAt).TotalSeconds, tags);
        Emit("attempt " + Workflow, Span, default, _startedAt, succeeded, error, LinkToStarter(), Tag(TelemetryNames.SessionTime, _input.SessionTime.ToString("O")));
    }

    [Conditional("BO_TELEMETRY")]
    public void ChunkFinished(string groupName, bool succeeded, string? error)
    {
        if (Records)
        {
            Emit("chunk " + groupName, Span, _parent, _startedAt, succeeded, error, null, Tag(TelemetryNames.TaskName, groupName));
        }
    }

    [Conditional("BO_TELEMETRY")]
    public void TryStarted(PlannedTask task, int tryNumber)
    {
        if (_telemetry is null)
        {
            return;
        }

        // Kept on replay too: a try that ends in a later turn needs its start and its span's id.
        var span = _telemetry.Tracing ? SpanIdentity.Derive(_trace, ParentOf(task.FullName).ToHexString() + " " + task.FullName + " " + tryNumber) : default;
        _open[task.FullName] = new OpenTry(span, _context.CurrentUtcDateTime);
        if (!task.IsGroup && Records)
        {
            _telemetry.TasksRunning.Add(1, Tags.Of(Project, Workflow, (TelemetryNames.Operator, task.Operator!.Name)));
        }
    }

    /// <summary>A work task's activity was scheduled: it waits in the queue until the activity runs (which takes it off).</summary>
    /// <param name="place">The operator it runs, or for a command the executor it runs on.</param>
    [Conditional("BO_TELEMETRY")]
    public void Queued(string placeKey, string place)
    {
        if (Records)
        {
            _telemetry!.TasksQueued.Add(1, Tags.Of(Project, Workflow, (placeKey, place)));
        }
    }

    /// <summary>A try ended: succeeded, or failed (<paramref name="retried"/> when <c>_retry</c> runs it again).</summary>
    /// <param name="executor">Where a command task's try ran; null for other tasks.</param>
    [Conditional("BO_TELEMETRY")]
    public void TryEnded(PlannedTask task, int tryNumber, bool succeeded, bool retried, string? error, string? executor)
    {
        if (_telemetry is null || !_open.Remove(task.FullName, out var open) || _context.IsReplaying)
        {
            return;
        }

        if (!task.IsGroup)
        {
            var operatorName = task.Operator!.Name;
            var running = Tags.Of(Project, Workflow, (TelemetryNames.Operator, operatorName));
            _telemetry.TasksRunning.Add(-1, running);
            var tags = executor is null
                ? Tags.Of(Project, Workflow, (TelemetryNames.Operator, operatorName), (TelemetryNames.Outcome, succeeded ? TelemetryNames.Success : TelemetryNames.Failure))
                : Tags.Of(Project, Workflow, (TelemetryNames.Operator, operatorName), (TelemetryNames.Executor, executor), (TelemetryNames.Outcome, succeeded ? TelemetryNames.Success : TelemetryNames.Failure));
            _telemetry.TaskTries.Add(1, tags);
            _telemetry.TaskTryDuration.Record((_context.CurrentUtcDateTime - open.StartedAt).TotalSeconds, tags);
            if (retried)
            {
                _telemetry.TaskRetries.Add(1, running);
            }
        }

        if (open.Span == default)
        {
            return;
        }

        Emit(
            task.FullName,
            open.Span,
            ParentOf(task.FullName),
            open.StartedAt,
            succeeded,
            error,
            null,
            Tag(TelemetryNames.TaskName, task.FullName),
            Tag(TelemetryNames.Operator, task.Operator?.Name ?? "group"),
            Tag(TelemetryNames.Try, tryNumber + 1),
            Tag(TelemetryNames.Executor, executor));
    }

    /// <summary>
    /// The span a task's try belongs under: the try of the nearest enclosing task running in this
    /// orchestration (its group, the <c>call&gt;</c> or loop that generated it, the task whose
    /// <c>^error</c> or <c>^check</c> it is), else this orchestration's own span.
    /// </summary>
    private ActivitySpanId ParentOf(string taskName)
    {
        for (var end = LastSeparator(taskName); end > 0; end = LastSeparator(taskName[..end]))
        {
            if (_open.TryGetValue(taskName[..end], out var open) && open.Span != default)
            {
                return open.Span;
            }
        }

        return Span;
    }

    private static int LastSeparator(string name) => name.AsSpan().LastIndexOfAny('+', '^');

    private ActivityLink[]? LinkToStarter() =>
        _input.Trace?.StartedBy is { } parent && ActivityContext.TryParse(parent, null, out var context) ? [new ActivityLink(context)] : null;

    /// <summary>Emits a span that ends now, with its derived ids (nothing when nobody samples it).</summary>
    private void Emit(string name, ActivitySpanId spanId, ActivitySpanId parentId, DateTime startedAt, bool succeeded, string? error, ActivityLink[]? links, params ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // A root span must not become a child of whatever span the host's code runs under.
        var current = Activity.Current;
        Activity.Current = null;
        try
        {
            var parent = parentId == default ? default : new ActivityContext(_trace, parentId, ActivityTraceFlags.Recorded);
            using var activity = _telemetry!.Source.CreateActivity(name, ActivityKind.Internal, parent, Attributes(), links);
            if (activity is null)
            {
                return;
            }

            foreach (var tag in tags)
            {
                activity.SetTag(tag.Key, tag.Value);
            }

            activity.SetStartTime(DateTime.SpecifyKind(startedAt, DateTimeKind.Utc));
            activity.Start();
            SpanIdentity.TryAssign(activity, _trace, spanId);
            if (!succeeded)
            {
                activity.SetStatus(ActivityStatusCode.Error, error);
                activity.SetTag(TelemetryNames.ErrorType, "task_failed");
            }

            // Stop would stamp a span of no duration (echo>: it starts and ends in one turn) with the wall clock.
            var endedAt = DateTime.SpecifyKind(_context.CurrentUtcDateTime, DateTimeKind.Utc);
            activity.SetEndTime(endedAt > activity.StartTimeUtc ? endedAt : activity.StartTimeUtc.AddTicks(1));
        }
        finally
        {
            Activity.Current = current;
        }
    }

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    private KeyValuePair<string, object?>[] Attributes() =>
    [
        Tag(TelemetryNames.Project, Project),
        Tag(TelemetryNames.Workflow, Workflow),
        Tag(TelemetryNames.AttemptId, _input.AttemptId),
    ];

    private readonly record struct OpenTry(ActivitySpanId Span, DateTime StartedAt);
}
