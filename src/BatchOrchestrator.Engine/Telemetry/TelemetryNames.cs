namespace BatchOrchestrator.Engine.Telemetry;

/// <summary>
/// The names of the engine's meter, activity source, instruments and attributes
/// (docs/observability.md lists them). Attributes on metrics are low cardinality only: a
/// project, a workflow, an operator, an executor, an outcome — never a session time or a task name.
/// </summary>
public static class TelemetryNames
{
    /// <summary>The one <see cref="System.Diagnostics.Metrics.Meter"/> and <see cref="System.Diagnostics.ActivitySource"/> name.</summary>
    public const string Source = "BatchOrchestrator";

    public const string AttemptStarted = "bo.attempt.started";
    public const string AttemptFinished = "bo.attempt.finished";
    public const string AttemptDuration = "bo.attempt.duration";
    public const string TaskTries = "bo.task.tries";
    public const string TaskTryDuration = "bo.task.try.duration";
    public const string TaskRetries = "bo.task.retries";
    public const string TaskQueueDuration = "bo.task.queue.duration";
    public const string TasksRunning = "bo.task.running";
    public const string TasksQueued = "bo.task.queued";
    public const string ScheduleLag = "bo.schedule.lag";
    public const string ScheduleSkipped = "bo.schedule.skipped";
    public const string ExecutorLaunchDuration = "bo.executor.launch.duration";
    public const string ExecutorStuck = "bo.executor.stuck";
    public const string RuntimeBacklog = "bo.runtime.work_items";

    public const string Project = "bo.project";
    public const string Workflow = "bo.workflow";
    public const string Operator = "bo.operator";
    public const string Executor = "bo.executor";
    public const string Outcome = "bo.outcome";
    public const string Reason = "bo.reason";
    public const string WorkItemKind = "bo.work_item.kind";

    /// <summary>Span attributes (high cardinality is fine on a span, never on a metric).</summary>
    public const string AttemptId = "bo.attempt.id";
    public const string SessionTime = "bo.session.time";
    public const string TaskName = "bo.task.name";
    public const string Try = "bo.task.try";
    public const string ErrorType = "error.type";

    public const string Success = "success";
    public const string Failure = "failure";
}
