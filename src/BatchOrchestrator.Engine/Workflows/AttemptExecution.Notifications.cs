using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin.Notify;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Engine.Workflows.Params;
using BatchOrchestrator.Language.Compilation;
using BatchOrchestrator.Language.Model;
using BatchOrchestrator.Language.Templating;
using BatchOrchestrator.Language.Time;

namespace BatchOrchestrator.Engine.Workflows;

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

internal sealed partial class AttemptExecution
{
    /// <summary>The task name Digdag gives the failure a missed <c>sla: fail: true</c> adds.</summary>
    private const string SlaViolation = "SLA violation";

    /// <summary>
    /// Races the workflow's <c>sla:</c> deadline (a durable timer) against the attempt's run. On a
    /// miss, as Digdag does, runs side by side with the attempt: <c>^sla^alert</c> (the SLA
    /// notification, unless <c>alert: false</c>), <c>^sla^fail</c> (with <c>fail: true</c>) and the
    /// sla's own tasks (<c>^sla</c>). The deadline counts from <paramref name="startedUtc"/>.
    /// </summary>
    public async Task<SlaResult> WatchSlaAsync(TaskFrame frame, Task<TaskOutcome> run, DateTime startedUtc)
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
            rendered = Render(frame, root, ParamScope.Empty);
            deadline = Deadline(definition, sla, rendered, startedUtc);
        }
        catch (Exception error) when (error is TemplateException or TaskFailure)
        {
            // The attempt itself reports a template error of its root; a bad deadline is the SLA's own task error.
            _recorder.Set(root.FullName + "^sla", TaskState.Error, error.Message);
            return SlaResult.Met;
        }

        using var cancel = new CancellationTokenSource();
        _recorder.Flush();
        var timer = _context.CreateTimer(deadline, cancel.Token);
        if (await Task.WhenAny(run, timer) == run)
        {
            cancel.Cancel(); // not CancelAsync: its callbacks would run off the orchestrator thread
            return SlaResult.Met;
        }

        List<Task> missed = [];
        if (sla.Alert)
        {
            var notification = AttemptNotification(frame, Notification.SlaMissEvent, $"{SlaViolation}: not finished by {ZoneClock(definition, deadline)}", []);
            missed.Add(SendNotificationAsync(frame, root.FullName + "^sla^alert", notification, rendered));
        }

        if (sla.Fail)
        {
            _recorder.Update(root.FullName + "^sla^fail", r => r with { State = TaskState.Error, Tries = 1, StartedAt = _context.CurrentUtcDateTime, FinishedAt = _context.CurrentUtcDateTime, Error = SlaViolation });
        }

        if (frame.Plan.Tasks.FirstOrDefault(t => t.Role == PlannedTaskRole.Sla && t.ParentIndex == root.Index) is { } slaTasks)
        {
            missed.Add(RunTaskAsync(frame, slaTasks, Own(root, ParamScope.Empty)));
        }

        await Task.WhenAll(missed);
        return sla.Fail ? SlaResult.MissedAndFailed : SlaResult.Missed;
    }

    /// <summary>The error a missed <c>sla: fail: true</c> adds to the attempt's outcome.</summary>
    public static TaskError SlaFailure(TaskPlan plan) => new(plan.Root.FullName + "^sla^fail", SlaViolation);

    /// <summary>
    /// Sends the project's notification for the attempt's end, when <c>_export: notify:</c> names
    /// targets and its <c>events</c> (default: failure) include how the attempt ended. The send is a
    /// task of its own, <c>^notify</c>, so its log and any failure are visible; it never changes the
    /// attempt's outcome.
    /// </summary>
    public async Task NotifyAttemptAsync(TaskFrame frame, TaskOutcome outcome)
    {
        RenderedTask rendered;
        try
        {
            rendered = Render(frame, frame.Plan.Root, ParamScope.Empty);
        }
        catch (TemplateException)
        {
            return;
        }

        if (rendered.Param(NotifyOperator.OperatorName) is not JsonObject config
            || !Enum.GetNames<NotificationChannel>().Any(channel => config[channel.ToLowerInvariant()] is not null))
        {
            return;
        }

        var events = config["events"] switch
        {
            JsonArray list => list.Select(e => e?.ToString()).ToHashSet(StringComparer.Ordinal),
            JsonValue one => [one.ToString()],
            _ => new HashSet<string?>(StringComparer.Ordinal) { Notification.FailureEvent },
        };
        var ended = outcome.Succeeded ? Notification.SuccessEvent : Notification.FailureEvent;
        if (!events.Contains(ended))
        {
            return;
        }

        var title = outcome.Succeeded ? "succeeded" : "failed";
        var errors = outcome.Errors.Select(e => $"{e.TaskName}: {e.Message}").ToList();
        var notification = AttemptNotification(frame, ended, $"Attempt {title}", errors);
        await SendNotificationAsync(frame, frame.Plan.Root.FullName + "^notify", notification, rendered);
    }

    /// <summary>A notification about this attempt: title names the workflow; facts say which session and attempt.</summary>
    private Notification AttemptNotification(TaskFrame frame, string eventName, string what, IReadOnlyList<string> details)
    {
        var workflow = frame.Workflow.Definition.Name;
        var session = _input.SessionTime.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        List<KeyValuePair<string, string>> facts =
        [
            KeyValuePair.Create("Project", _input.ProjectName),
            KeyValuePair.Create("Workflow", workflow),
            KeyValuePair.Create("Session", session),
            KeyValuePair.Create("Attempt", string.IsNullOrEmpty(_input.RetryAttemptName) ? _input.AttemptNumber.ToString(CultureInfo.InvariantCulture) : _input.RetryAttemptName),
        ];
        const int shown = 10;
        var text = string.Join("\n", details.Take(shown)) + (details.Count > shown ? $"\n… and {details.Count - shown} more" : string.Empty);
        return new Notification(eventName, $"{_input.ProjectName}/{workflow}: {what}", text, facts);
    }

    /// <summary>Runs notify&gt; for a notification the engine composed, as a recorded task; false when it failed.</summary>
    private async Task<bool> SendNotificationAsync(TaskFrame frame, string taskName, Notification notification, RenderedTask root)
    {
        _recorder.Update(taskName, r => r with { State = TaskState.Running, Tries = 1, StartedAt = _context.CurrentUtcDateTime });
        var log = LogKey(frame, taskName, 0);
        _recorder.Update(taskName, r => r with { LogReference = log.RelativePath });
        var config = new JsonObject { [NotifyOperator.NotificationKey] = JsonSerializer.SerializeToNode(notification, NotifyOperator.JsonOptions) };
        var request = new TaskRequest
        {
            AttemptId = _input.AttemptId,
            TaskName = taskName,
            OperatorName = NotifyOperator.OperatorName,
            Command = Language.Parameters.JsonValues.Null,
            Config = JsonSerializer.SerializeToElement(config),
            Params = root.Params.ToJson(),
            WorkingDirectory = frame.WorkingDirectory,
            Log = log,
        };
        try
        {
            await CallAsync<TaskResult>(ActivityNames.RunOperator, new RunOperatorInput(request));
            _recorder.Update(taskName, r => r with { State = TaskState.Success, FinishedAt = _context.CurrentUtcDateTime });
            return true;
        }
        catch (TaskFailure failure)
        {
            _recorder.Update(taskName, r => r with { State = TaskState.Error, FinishedAt = _context.CurrentUtcDateTime, Error = failure.Message });
            return false;
        }
    }

    private DateTime Deadline(WorkflowDefinition definition, SlaDefinition sla, RenderedTask rendered, DateTime startedUtc)
    {
        var time = sla.Time;
        var duration = sla.Duration;
        if (sla.Template is { } template)
        {
            var text = _services.Templates.Render(template, rendered.Params);
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
