using System.Globalization;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin.Notify;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows.Params;
using BatchOrchestrator.Language.Compilation;
using BatchOrchestrator.Language.Model;
using BatchOrchestrator.Language.Templating;
using BatchOrchestrator.Language.Time;

namespace BatchOrchestrator.Engine.Workflows.Execution;

/// <summary>What a watched SLA came to.</summary>
internal enum SlaResult
{
    /// <summary>No SLA, or the attempt ended in time.</summary>
    Met,

    /// <summary>Missed: its tasks and alert ran; the attempt goes on.</summary>
    Missed,

    /// <summary>Missed with <c>fail: true</c>: the attempt ends as failed whatever its tasks do.</summary>
    MissedAndFailed,
}

/// <summary>
/// A workflow's <c>sla:</c>: one durable timer at the deadline, racing the attempt's run; on a
/// miss, what Digdag runs beside the attempt (alert, fail, the sla's own tasks).
/// </summary>
/// <param name="runTask">Runs a task of the plan (the sla's own tasks) as the attempt runs its tasks.</param>
internal sealed class SlaWatch(
    IOrchestrationContext context,
    WorkflowServices services,
    TaskRecorder recorder,
    TaskScopes scopes,
    AttemptNotifier notifier,
    Func<TaskFrame, PlannedTask, ParamScope, Task<TaskOutcome>> runTask)
{
    /// <summary>The task name Digdag gives the failure a missed <c>sla: fail: true</c> adds.</summary>
    private const string SlaViolation = "SLA violation";

    /// <summary>
    /// Races the workflow's <c>sla:</c> deadline (a durable timer) against the attempt's run. On a
    /// miss, as Digdag does, runs side by side with the attempt: <c>^sla^alert</c> (the SLA
    /// notification, unless <c>alert: false</c>), <c>^sla^fail</c> (with <c>fail: true</c>) and the
    /// sla's own tasks (<c>^sla</c>). The deadline counts from <paramref name="startedUtc"/>.
    /// </summary>
    public async Task<SlaResult> WatchAsync(TaskFrame frame, Task<TaskOutcome> run, DateTime startedUtc)
    {
        var definition = frame.Workflow.Definition;
        if (definition.Sla is not { } sla)
        {
            return SlaResult.Met;
        }

        if (run.IsCompleted)
        {
            return SlaResult.Met;
        }

        var root = frame.Plan.Root;
        RenderedTask rendered;
        DateTime deadline;
        try
        {
            rendered = scopes.Render(frame, root, ParamScope.Empty);
            deadline = Deadline(definition, sla, rendered, startedUtc);
        }
        catch (Exception error) when (error is TemplateException or TaskFailure)
        {
            // The attempt itself reports a template error of its root; a bad deadline is the SLA's own task error.
            recorder.Set(root.FullName + "^sla", TaskState.Error, error.Message);
            return SlaResult.Met;
        }

        using var cancel = new CancellationTokenSource();
        recorder.Flush();
        var timer = context.CreateTimer(deadline, cancel.Token);
        if (await Task.WhenAny(run, timer) == run)
        {
            cancel.Cancel(); // not CancelAsync: its callbacks would run off the orchestrator thread
            return SlaResult.Met;
        }

        List<Task> missed = [];
        if (sla.Alert)
        {
            var notification = notifier.AttemptNotification(frame, Notification.SlaMissEvent, $"{SlaViolation}: not finished by {ZoneClock(definition, deadline)}", []);
            missed.Add(notifier.SendAsync(frame, root.FullName + "^sla^alert", notification, rendered));
        }

        if (sla.Fail)
        {
            recorder.Update(root.FullName + "^sla^fail", r => r with { State = TaskState.Error, Tries = 1, StartedAt = context.CurrentUtcDateTime, FinishedAt = context.CurrentUtcDateTime, Error = SlaViolation });
        }

        if (frame.Plan.Tasks.FirstOrDefault(t => t.Role == PlannedTaskRole.Sla && t.ParentIndex == root.Index) is { } slaTasks)
        {
            missed.Add(runTask(frame, slaTasks, scopes.Own(root, ParamScope.Empty)));
        }

        await Task.WhenAll(missed);
        return sla.Fail ? SlaResult.MissedAndFailed : SlaResult.Missed;
    }

    /// <summary>The error a missed <c>sla: fail: true</c> adds to the attempt's outcome.</summary>
    public static TaskError Failure(TaskPlan plan) => new(plan.Root.FullName + "^sla^fail", SlaViolation);

    private DateTime Deadline(WorkflowDefinition definition, SlaDefinition sla, RenderedTask rendered, DateTime startedUtc)
    {
        var time = sla.Time;
        var duration = sla.Duration;
        if (sla.Template is { } template)
        {
            var text = services.Templates.Render(template, rendered.Params, context.CurrentUtcDateTime, context.Interrupted);
            var maxHours = sla.TemplateIsDuration ? int.MaxValue : 23;
            if (!SlaClock.TryParse(text, maxHours, out var value))
            {
                throw new TaskFailure(sla.TemplateIsDuration
                    ? $"sla.duration: expected HH:MM:SS, e.g. 01:30:00, got '{text}'"
                    : $"sla.time: expected HH:MM or HH:MM:SS, a time of day such as 02:30, got '{text}'", retryable: false);
            }

            (time, duration) = sla.TemplateIsDuration ? ((TimeSpan?)null, (TimeSpan?)value) : (value, null);
        }

        return SlaClock.Deadline(definition.TimeZone, startedUtc, time, duration);
    }

    private static string ZoneClock(WorkflowDefinition definition, DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), definition.TimeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " " + definition.TimeZoneId;
}
