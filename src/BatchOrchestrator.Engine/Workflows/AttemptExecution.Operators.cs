using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows.Execution;
using BatchOrchestrator.Engine.Workflows.Params;
using BatchOrchestrator.Language.Compilation;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Syntax;
using BatchOrchestrator.Language.Time;

namespace BatchOrchestrator.Engine.Workflows;

internal sealed partial class AttemptExecution
{
    private async Task<TaskOutcome> RunOperatorAsync(TaskFrame frame, PlannedTask task, RenderedTask rendered, ParamScope scope, int tryNumber, int logTry)
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
                    _recorder.Log(UseLog(frame, task, logTry), line);
                }

                return evaluated.Subtasks is { ValueKind: JsonValueKind.Object } subtasks
                    ? await RunSubtasksAsync(frame, task, JsonNode.Parse(subtasks.GetRawText())!.AsObject(), scope)
                    : TaskOutcome.Success(scope.Store);
            default:
                return await RunWorkAsync(frame, task, rendered, scope, tryNumber, logTry);
        }
    }

    private async Task<TaskOutcome> RunWorkAsync(TaskFrame frame, PlannedTask task, RenderedTask rendered, ParamScope scope, int tryNumber, int logTry)
    {
        var request = new TaskRequest
        {
            AttemptId = _input.AttemptId,
            TaskName = task.FullName,
            // Unique in the orchestration, a group retry's tries included, so executors never take one try for another.
            Try = logTry - 1,
            OperatorName = task.Operator!.Name,
            Command = rendered.Command,
            Config = rendered.ConfigElement(),
            Params = rendered.Params.ToJson(),
            Environment = rendered.Environment,
            WorkingDirectory = frame.WorkingDirectory,
            Log = UseLog(frame, task, logTry),
            Timeout = Timeout(rendered),
        };

        var result = _services.Operators.Find(request.OperatorName)?.Script is { } script
            ? await _commands.RunCommandAsync(script, request, rendered)
            : await _commands.RunOperatorAsync(request);
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

    /// <summary>The log of this try (numbered from 1), recorded on the task so <c>bo log</c> and the UI find it (a path relative to the log store).</summary>
    private Stores.TaskLogKey UseLog(TaskFrame frame, PlannedTask task, int logTry)
    {
        var key = LogKey(frame, task.FullName, logTry);
        _recorder.Update(task.FullName, r => r with { LogReference = key.RelativePath });
        return key;
    }

    /// <summary>require>: waits for a session of another workflow (see <see cref="RequireWaiter"/>).</summary>
    private Task<TaskOutcome> RequireAsync(RenderedTask rendered, ParamScope scope) => _require.RunAsync(rendered, scope);

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
        var node = ConfigNodeJson.FromJson(JsonSerializer.SerializeToElement(config, BatchOrchestrator.Engine.Json.ValuesJsonContext.Default.JsonObject), task.Location);
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


    /// <summary>The executor a command task's try runs on (its <c>container.executor</c>, else the host's default); null for other operators.</summary>
    private string? ExecutorOf(PlannedTask task, RenderedTask rendered) =>
        _services.Operators.Find(task.Operator!.Name)?.Script is null ? null : CommandRunner.ExecutorOf(_services, rendered);

    private static TimeSpan? Timeout(RenderedTask rendered) =>
        rendered.Option("timeout")?.ToString() is { } text && DurationText.TryParse(text, out var timeout) ? timeout : null;

    private static string Text(JsonElement element) => CommandText.Of(element);
}
