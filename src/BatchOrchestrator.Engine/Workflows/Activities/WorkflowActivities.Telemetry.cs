using System.Diagnostics;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Telemetry;

namespace BatchOrchestrator.Engine.Workflows.Activities;

/// <summary>
/// What activities record of their own work (an orchestrator never records it: it only sees
/// results, again on every replay): the wait before a task's activity ran, an executor's launch,
/// a command that failed while pending. Compiled out with <c>BO_TELEMETRY</c>.
/// </summary>
public sealed partial class WorkflowActivities
{
    private TimeProvider Clock { get; } = clock ?? TimeProvider.System;

    /// <summary>A work task's first activity runs: it leaves the queue it entered at <paramref name="readyAt"/> (orchestration time).</summary>
    [Conditional("BO_TELEMETRY")]
    private void Dequeued(TaskLogKey task, string placeKey, string place, DateTime? readyAt)
    {
        if (telemetry is null || readyAt is not { } ready)
        {
            return;
        }

        var tags = Tags.Of(task.Project, task.Workflow, (placeKey, place));
        telemetry.TasksQueued.Add(-1, tags);
        var waited = Clock.GetUtcNow().UtcDateTime - DateTime.SpecifyKind(ready, DateTimeKind.Utc);
        telemetry.TaskQueueDuration.Record(Math.Max(0, waited.TotalSeconds), tags);
    }

    [Conditional("BO_TELEMETRY")]
    private void Launched(TaskLogKey task, string executor, TimeSpan took) =>
        telemetry?.ExecutorLaunchDuration.Record(took.TotalSeconds, Tags.Of(task.Project, task.Workflow, (TelemetryNames.Executor, executor)));

    [Conditional("BO_TELEMETRY")]
    private void Stuck(TaskLogKey? task, string executor, CommandStatus status)
    {
        if (task is not null && status is { Phase: CommandPhase.Failed, StuckReason: { } reason })
        {
            telemetry?.ExecutorStuck.Add(1, Tags.Of(task.Project, task.Workflow, (TelemetryNames.Executor, executor), (TelemetryNames.Reason, reason)));
        }
    }
}
