using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin.Notify;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Engine.Workflows.Params;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Engine.Workflows.Execution;

/// <summary>
/// The notifications the engine composes about an attempt (its end, a missed SLA), each sent by
/// notify&gt; as a task of its own, so its log and any failure are visible; a failed send never
/// changes the attempt's outcome.
/// </summary>
internal sealed class AttemptNotifier(IOrchestrationContext context, AttemptInput input, TaskRecorder recorder, TaskScopes scopes, TaskActivityCaller activities)
{
    /// <summary>
    /// Sends the project's notification for the attempt's end, when <c>_export: notify:</c> names
    /// targets and its <c>events</c> (default: failure) include how the attempt ended. The send is a
    /// task of its own, <c>^notify</c>.
    /// </summary>
    public async Task NotifyAttemptAsync(TaskFrame frame, TaskOutcome outcome)
    {
        RenderedTask rendered;
        try
        {
            rendered = scopes.Render(frame, frame.Plan.Root, ParamScope.Empty);
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
        await SendAsync(frame, frame.Plan.Root.FullName + "^notify", notification, rendered);
    }

    /// <summary>A notification about this attempt: title names the workflow; facts say which session and attempt.</summary>
    public Notification AttemptNotification(TaskFrame frame, string eventName, string what, IReadOnlyList<string> details)
    {
        var workflow = frame.Workflow.Definition.Name;
        var session = input.SessionTime.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        List<KeyValuePair<string, string>> facts =
        [
            KeyValuePair.Create("Project", input.ProjectName),
            KeyValuePair.Create("Workflow", workflow),
            KeyValuePair.Create("Session", session),
            KeyValuePair.Create("Attempt", string.IsNullOrEmpty(input.RetryAttemptName) ? input.AttemptNumber.ToString(CultureInfo.InvariantCulture) : input.RetryAttemptName),
        ];
        const int shown = 10;
        var text = string.Join("\n", details.Take(shown)) + (details.Count > shown ? $"\n… and {details.Count - shown} more" : string.Empty);
        return new Notification(eventName, $"{input.ProjectName}/{workflow}: {what}", text, facts);
    }

    /// <summary>Runs notify&gt; for a notification the engine composed, as a recorded task; false when it failed.</summary>
    public async Task<bool> SendAsync(TaskFrame frame, string taskName, Notification notification, RenderedTask root)
    {
        recorder.Update(taskName, r => r with { State = TaskState.Running, Tries = 1, StartedAt = context.CurrentUtcDateTime });
        var log = TaskLogKeys.For(input, frame, taskName, 1);
        recorder.Update(taskName, r => r with { LogReference = log.RelativePath });
        var config = new JsonObject { [NotifyOperator.NotificationKey] = JsonSerializer.SerializeToNode(notification, NotifyOperator.NotificationJson) };
        var request = new TaskRequest
        {
            AttemptId = input.AttemptId,
            TaskName = taskName,
            OperatorName = NotifyOperator.OperatorName,
            Command = Language.Parameters.JsonValues.Null,
            Config = JsonSerializer.SerializeToElement(config, BatchOrchestrator.Engine.Json.ValuesJsonContext.Default.JsonObject),
            Params = root.Params.ToJson(),
            WorkingDirectory = frame.WorkingDirectory,
            Log = log,
        };
        try
        {
            await activities.CallAsync<TaskResult>(ActivityNames.RunOperator, new RunOperatorInput(request));
            recorder.Update(taskName, r => r with { State = TaskState.Success, FinishedAt = context.CurrentUtcDateTime });
            return true;
        }
        catch (TaskFailure failure)
        {
            recorder.Update(taskName, r => r with { State = TaskState.Error, FinishedAt = context.CurrentUtcDateTime, Error = failure.Message });
            return false;
        }
    }
}
