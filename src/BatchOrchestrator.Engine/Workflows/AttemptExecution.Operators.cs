using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Engine.Workflows.Params;
using BatchOrchestrator.Language.Compilation;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Syntax;
using BatchOrchestrator.Language.Time;

namespace BatchOrchestrator.Engine.Workflows;

internal sealed partial class AttemptExecution
{
    /// <summary>How often one try is launched again after its host stopped, before the task fails.</summary>
    private const int MaxRelaunches = 5;

    private async Task<TaskOutcome> RunOperatorAsync(TaskFrame frame, PlannedTask task, RenderedTask rendered, ParamScope scope, int tryNumber)
    {
        var name = task.Operator!.Name;
        var definition = OperatorDispatch.Find(_services.Operators, name);
        switch (definition.Kind)
        {
            case OperatorKind.Interpreter:
                // Only these need the orchestrator's own context: a workflow load, another session, a durable timer.
                return name switch
                {
                    "call" => await RunCallAsync(frame, task, rendered, scope),
                    "require" => await RequireAsync(rendered, scope),
                    "wait" => await WaitAsync(task, rendered, scope),
                    _ => throw new InvalidOperationException($"{name}> is registered as the interpreter's, but the interpreter does not run it."),
                };
            case OperatorKind.Orchestrator:
                var evaluated = OperatorDispatch.Evaluate(definition, task, rendered);
                if (evaluated.Log is { } line)
                {
                    // Written with the next activity call or record batch: an evaluated operator costs no activity.
                    _recorder.Log(UseLog(frame, task, tryNumber), line);
                }

                return evaluated.Subtasks is { ValueKind: JsonValueKind.Object } subtasks
                    ? await RunSubtasksAsync(frame, task, JsonNode.Parse(subtasks.GetRawText())!.AsObject(), scope)
                    : TaskOutcome.Success(scope.Store);
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
        if (_services.Operators.Find(request.OperatorName)?.Script is { } script)
        {
            var command = script.BuildCommand(request);

            // Names only: values are read and masked inside the activities, never here (history).
            var secretKeys = SecretReferences.In(command) is { Count: > 0 } keys ? keys : null;
            var executor = (rendered.Param("container") as JsonObject)?["executor"]?.ToString() ?? _services.Options.DefaultExecutor;
            var status = await CallAsync<CommandStatus>(ActivityNames.LaunchCommand, new LaunchCommandInput(executor, command));
            var relaunches = 0;
            while (!status.IsFinished)
            {
                if (status.Phase == CommandPhase.Lost)
                {
                    // The host running it stopped: run the same try again (it does not count against _retry).
                    if (++relaunches > MaxRelaunches)
                    {
                        throw new TaskFailure(status.FailureMessage ?? "the command was lost too many times");
                    }

                    status = await CallAsync<CommandStatus>(ActivityNames.LaunchCommand, new LaunchCommandInput(executor, command));
                    continue;
                }

                if (status.PollAfter > TimeSpan.Zero)
                {
                    _recorder.Flush();
                    await _context.CreateTimer(_context.CurrentUtcDateTime + status.PollAfter, CancellationToken.None);
                }

                status = await CallAsync<CommandStatus>(ActivityNames.PollCommand, new CommandStateInput(status.State, command.Log, secretKeys));
            }

            if (!status.Collected)
            {
                await CallAsync<object?>(ActivityNames.FinishCommand, new CommandStateInput(status.State, command.Log, secretKeys));
            }
            result = script.ReadResult(request, status);
        }
        else
        {
            result = await CallAsync<TaskResult>(ActivityNames.RunOperator, new RunOperatorInput(request));

            // A polling operator (blob_wait>): between its runs the try waits on a durable timer, holding no worker.
            while (result.PollAgain is { } poll)
            {
                _recorder.Flush();
                await _context.CreateTimer(_context.CurrentUtcDateTime + poll.After, CancellationToken.None);
                result = await CallAsync<TaskResult>(ActivityNames.RunOperator, new RunOperatorInput(request with { PollState = poll.State }));
            }
        }

        var store = scope.Store.With(result.StoreParams ?? default, result.ResetStoreParams, NextSequence());
        if (result.ExportParams is { } exportedParams)
        {
            // The record says what the task exported (TaskRecord.ExportParams), as the API and UI show it.
            _recorder.Update(task.FullName, r => r with { ExportParams = exportedParams });
        }

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

    /// <summary>
    /// require>: starts (or finds) a session of another workflow at this session's time and
    /// waits for its attempt to finish, polling its record between durable timers.
    /// </summary>
    private async Task<TaskOutcome> RequireAsync(RenderedTask rendered, ParamScope scope)
    {
        var workflow = Text(rendered.Command);
        if (rendered.Option("project_name")?.ToString() is { } project && project != _input.ProjectName)
        {
            throw new TaskFailure($"require>: project_name '{project}' is another project; this host runs one project per state folder ({_input.ProjectName})", retryable: false);
        }

        var sessionTime = _input.SessionTime;
        if (rendered.Option("session_time")?.ToString() is { } text && !DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out sessionTime))
        {
            throw new TaskFailure($"require>: session_time '{text}' is not a time such as 2026-11-21T00:00:00+09:00", retryable: false);
        }

        var rerunOn = rendered.Option("rerun_on")?.ToString() switch
        {
            null or "none" => Sessions.RerunOn.None,
            "failed" => Sessions.RerunOn.Failed,
            "all" => Sessions.RerunOn.All,
            var other => throw new TaskFailure($"require>: rerun_on must be none, failed or all, got '{other}'", retryable: false),
        };
        var ignoreFailure = rendered.Option("ignore_failure")?.ToString() is "true" or "True";
        var parameters = rendered.Option("params") is System.Text.Json.Nodes.JsonObject given ? JsonSerializer.SerializeToElement(given) : Language.Parameters.ParamSet.Empty.ToJson();
        var request = new Sessions.SessionStartRequest(_input.Plan.Revision, _input.ProjectName, workflow, sessionTime, parameters, rerunOn);
        var attemptId = await CallAsync<string>(ActivityNames.RequireSession, new RequireSessionInput(request));
        while (true)
        {
            var status = await CallAsync<AttemptStatus>(ActivityNames.GetAttemptStatus, new AttemptStatusInput(attemptId));
            if (status == AttemptStatus.Success || (status != AttemptStatus.Running && ignoreFailure))
            {
                return TaskOutcome.Success(scope.Store);
            }

            if (status != AttemptStatus.Running)
            {
                throw new TaskFailure($"require>: the required session of {workflow} at {sessionTime:yyyy-MM-dd'T'HH:mm:sszzz} ended as {status.ToString().ToLowerInvariant()} (attempt {attemptId})");
            }

            await _context.CreateTimer(_context.CurrentUtcDateTime + _services.Options.RequirePollInterval, CancellationToken.None);
        }
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

    private async Task<TaskOutcome> RunCallAsync(TaskFrame frame, PlannedTask task, RenderedTask rendered, ParamScope scope)
    {
        var target = Text(rendered.Command);
        var workflowName = target.EndsWith(".dig", StringComparison.Ordinal) ? target[..^4] : target;
        var called = await LoadCalledAsync(workflowName);
        var plan = TaskPlanCompiler.CompileTree(called.Definition.Root, task.FullName + "^sub", called.Definition.Name);
        var calledFrame = new TaskFrame(plan, frame.Workflow, called.WorkingDirectory);
        return await RunTaskAsync(calledFrame, plan.Root, scope);
    }

    /// <summary>
    /// A workflow <c>call&gt;</c> names, loaded once per orchestration however often it is called
    /// (revisions never change), so a loop of calls adds one activity to history, not one per call.
    /// A failed load is forgotten, so a retry of the task loads it again.
    /// </summary>
    private async Task<LoadedWorkflow> LoadCalledAsync(string workflowName)
    {
        if (!_calledWorkflows.TryGetValue(workflowName, out var load))
        {
            load = WorkflowLoading.LoadAsync(_context, _services, _input.Plan with { WorkflowName = workflowName });
            _calledWorkflows[workflowName] = load;
        }

        try
        {
            return await load;
        }
        catch (TaskFailedException failed)
        {
            // The store stayed unreachable through the load's own retries: the task's _retry may still help.
            ForgetCalled(workflowName, load);
            throw new TaskFailure($"call>: {workflowName} could not be loaded: {failed.FailureDetails}");
        }
        catch (WorkflowLanguageException)
        {
            ForgetCalled(workflowName, load);
            throw;
        }
    }

    private void ForgetCalled(string workflowName, Task<LoadedWorkflow> load)
    {
        if (_calledWorkflows.GetValueOrDefault(workflowName) == load)
        {
            _calledWorkflows.Remove(workflowName);
        }
    }

    private readonly Dictionary<string, Task<LoadedWorkflow>> _calledWorkflows = new(StringComparer.Ordinal);

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

    /// <summary>
    /// Calls an activity carrying the pending records and log lines (or, for an input that cannot
    /// carry them, after flushing them); a failed activity becomes the task's <see cref="TaskFailure"/>.
    /// </summary>
    private async Task<T> CallAsync<T>(string activity, object input)
    {
        if (input is CarriesWrites carrier)
        {
            input = carrier with { Writes = _recorder.Take() };
        }
        else
        {
            _recorder.Flush();
        }

        try
        {
            return await _context.CallActivityAsync<T>(activity, input);
        }
        catch (TaskFailedException failed)
        {
            var details = failed.FailureDetails;
            if (details.ErrorType == typeof(PermanentTaskFailure).FullName)
            {
                throw new TaskFailure(details.ErrorMessage, retryable: false);
            }

            var userFacing = details.ErrorType == typeof(TaskFailure).FullName;
            throw new TaskFailure(userFacing ? details.ErrorMessage : $"{details.ErrorType}: {details.ErrorMessage}");
        }
    }

    private static TimeSpan? Timeout(RenderedTask rendered) =>
        rendered.Option("timeout")?.ToString() is { } text && DurationText.TryParse(text, out var timeout) ? timeout : null;

    private static string Text(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Undefined or JsonValueKind.Null => string.Empty,
        _ => element.GetRawText(),
    };
}
