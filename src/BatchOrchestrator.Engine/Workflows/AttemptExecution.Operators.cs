using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Engine.Workflows.Params;
using BatchOrchestrator.Language.Compilation;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Syntax;
using BatchOrchestrator.Language.Time;

namespace BatchOrchestrator.Engine.Workflows;

internal sealed partial class AttemptExecution
{
    private async Task<TaskOutcome> RunOperatorAsync(TaskFrame frame, PlannedTask task, RenderedTask rendered, ParamScope scope, int tryNumber)
    {
        var name = task.Operator!.Name;
        switch (name)
        {
            case "echo":
                var echoLog = UseLog(frame, task, tryNumber);
                await CallAsync<object?>(ActivityNames.WriteLog, new WriteLogInput(echoLog, Text(rendered.Command) + "\n"));
                return TaskOutcome.Success(scope.Store);
            case "fail":
                throw new TaskFailure(Text(rendered.Command));
            case "wait":
                return await WaitAsync(task, rendered, scope);
            case "if":
                return await RunIfAsync(frame, task, rendered, scope);
            case "loop":
                return await RunSubtasksAsync(frame, task, SubtaskGenerator.Loop(Node(rendered.Command), Body(task), rendered.Option("_parallel")), scope);
            case "for_each":
                return await RunSubtasksAsync(frame, task, SubtaskGenerator.ForEach(Node(rendered.Command), Body(task), rendered.Option("_parallel")), scope);
            case "for_range":
                return await RunSubtasksAsync(frame, task, SubtaskGenerator.ForRange(Node(rendered.Command), Body(task), rendered.Option("_parallel")), scope);
            case "call":
                return await RunCallAsync(frame, task, rendered, scope);
            case "require":
                throw new TaskFailure("require> cannot run yet: starting another workflow's session needs the session starter of `bo server`, which this version does not have", retryable: false);
            default:
                return await RunWorkAsync(frame, task, rendered, scope, tryNumber);
        }
    }

    private async Task<TaskOutcome> RunWorkAsync(TaskFrame frame, PlannedTask task, RenderedTask rendered, ParamScope scope, int tryNumber)
    {
        var request = new TaskRequest
        {
            AttemptId = _input.AttemptId,
            TaskName = task.FullName,
            Try = tryNumber,
            OperatorName = task.Operator!.Name,
            Command = rendered.Command,
            Config = JsonSerializer.SerializeToElement(rendered.Config),
            Params = rendered.Params.ToJson(),
            Environment = rendered.Environment,
            WorkingDirectory = frame.WorkingDirectory,
            Log = UseLog(frame, task, tryNumber),
            Timeout = Timeout(rendered),
        };

        TaskResult result;
        if (_services.FindScriptOperator(request.OperatorName) is { } script)
        {
            var command = script.BuildCommand(request);
            var executor = (rendered.Param("container") as JsonObject)?["executor"]?.ToString() ?? _services.Options.DefaultExecutor;
            var status = await CallAsync<CommandStatus>(ActivityNames.LaunchCommand, new LaunchCommandInput(executor, command));
            while (!status.IsFinished)
            {
                if (status.PollAfter > TimeSpan.Zero)
                {
                    _recorder.Flush();
                    await _context.CreateTimer(_context.CurrentUtcDateTime + status.PollAfter, CancellationToken.None);
                }

                status = await CallAsync<CommandStatus>(ActivityNames.PollCommand, new CommandStateInput(status.State));
            }

            await CallAsync<object?>(ActivityNames.FinishCommand, new CommandStateInput(status.State));
            result = script.ReadResult(request, status);
        }
        else
        {
            result = await CallAsync<TaskResult>(ActivityNames.RunOperator, new RunOperatorInput(request));
        }

        var store = scope.Store.With(result.StoreParams ?? default, result.ResetStoreParams, NextSequence());
        if (result.Subtasks is not { ValueKind: JsonValueKind.Object } subtasks)
        {
            return TaskOutcome.Success(store);
        }

        var subScope = result.ExportParams is { } exported ? scope.WithStore(store).WithExport(exported, NextSequence()) : scope.WithStore(store);
        return await RunSubtasksAsync(frame, task, JsonNode.Parse(subtasks.GetRawText())!.AsObject(), subScope);
    }

    /// <summary>The log of this try, recorded on the task so <c>bo log</c> and the UI find it (a path relative to the log store).</summary>
    private Stores.TaskLogKey UseLog(TaskFrame frame, PlannedTask task, int tryNumber)
    {
        var key = LogKey(frame, task.FullName, tryNumber);
        _recorder.Update(task.FullName, r => r with { LogReference = key.RelativePath });
        return key;
    }

    private async Task<TaskOutcome> WaitAsync(PlannedTask task, RenderedTask rendered, ParamScope scope)
    {
        var text = Text(rendered.Command);
        if (!DurationText.TryParse(text, out var duration))
        {
            throw new TaskFailure($"wait>: expected a duration such as 10s or 5m, got '{text}'", retryable: false);
        }

        _recorder.Flush();
        await _context.CreateTimer(_context.CurrentUtcDateTime + duration, CancellationToken.None);
        return TaskOutcome.Success(scope.Store);
    }

    private async Task<TaskOutcome> RunIfAsync(TaskFrame frame, PlannedTask task, RenderedTask rendered, ParamScope scope)
    {
        var condition = Text(rendered.Command).Trim();
        var branch = condition switch
        {
            "true" or "True" => "_do",
            "false" or "False" => "_else_do",
            _ => throw new TaskFailure($"if>: expected true or false, got '{condition}'", retryable: false),
        };
        return task.Config.Get(branch) is { } body
            ? await RunSubtasksAsync(frame, task, JsonNode.Parse(body.ToJson().GetRawText())!.AsObject(), scope)
            : TaskOutcome.Success(scope.Store);
    }

    private async Task<TaskOutcome> RunCallAsync(TaskFrame frame, PlannedTask task, RenderedTask rendered, ParamScope scope)
    {
        var target = Text(rendered.Command);
        var workflowName = target.EndsWith(".dig", StringComparison.Ordinal) ? target[..^4] : target;
        var called = _services.Plans.Get(_input.Plan with { WorkflowName = workflowName });
        var plan = TaskPlanCompiler.CompileTree(called.Definition.Root, task.FullName + "^sub", called.Definition.Name);
        var calledFrame = new TaskFrame(plan, frame.Workflow, called.WorkingDirectory);
        return await RunTaskAsync(calledFrame, plan.Root, scope);
    }

    /// <summary>Compiles a task config generated at run time as the task's <c>^sub</c> group and runs it.</summary>
    private async Task<TaskOutcome> RunSubtasksAsync(TaskFrame frame, PlannedTask task, JsonObject config, ParamScope scope)
    {
        var node = ConfigNodeJson.FromJson(JsonSerializer.SerializeToElement(config), task.Location);
        if (node is not MappingNode mapping)
        {
            throw new TaskFailure("generated subtasks must be a mapping of +tasks", retryable: false);
        }

        var diagnostics = new DiagnosticBag();
        var definition = _services.Parser.ParseTask("^sub", mapping, diagnostics);
        if (diagnostics.HasErrors)
        {
            throw new TaskFailure("invalid subtasks: " + string.Join("; ", diagnostics.Items.Where(d => d.IsError).Select(d => d.Message)), retryable: false);
        }

        var plan = TaskPlanCompiler.CompileTree(definition, task.FullName + "^sub", frame.Workflow.Definition.Name);
        return await RunTaskAsync(frame with { Plan = plan, Generated = config, IsWorkflowPlan = false }, plan.Root, scope);
    }

    /// <summary>Calls an activity after flushing pending records; a failed activity becomes the task's <see cref="TaskFailure"/>.</summary>
    private async Task<T> CallAsync<T>(string activity, object input)
    {
        _recorder.Flush();
        try
        {
            return await _context.CallActivityAsync<T>(activity, input);
        }
        catch (TaskFailedException failed)
        {
            var details = failed.FailureDetails;
            var userFacing = details.ErrorType == typeof(TaskFailure).FullName;
            throw new TaskFailure(userFacing ? details.ErrorMessage : $"{details.ErrorType}: {details.ErrorMessage}");
        }
    }

    private JsonNode Body(PlannedTask task) =>
        task.Config.Get("_do") is { } body
            ? JsonNode.Parse(body.ToJson().GetRawText())!
            : throw new TaskFailure($"{task.Operator!.Name}> needs a _do: block", retryable: false);

    private static TimeSpan? Timeout(RenderedTask rendered) =>
        rendered.Option("timeout")?.ToString() is { } text && DurationText.TryParse(text, out var timeout) ? timeout : null;

    private static JsonNode? Node(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? null : JsonNode.Parse(element.GetRawText());

    private static string Text(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Undefined or JsonValueKind.Null => string.Empty,
        _ => element.GetRawText(),
    };
}
