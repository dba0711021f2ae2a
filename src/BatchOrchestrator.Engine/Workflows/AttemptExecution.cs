using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows.Params;
using BatchOrchestrator.Language.BuiltIns;
using BatchOrchestrator.Language.Compilation;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Parameters;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>
/// One orchestration's walk over a task plan: Digdag's semantics (order, parallelism, retries,
/// _error/_check, params) as deterministic orchestrator code. Every side effect is an activity;
/// everything else is a pure function of the plan, the input and the history.
/// </summary>
internal sealed partial class AttemptExecution
{
    private readonly IOrchestrationContext _context;
    private readonly AttemptInput _input;
    private readonly WorkflowServices _services;
    private readonly TaskRecorder _recorder;
    private readonly IReadOnlyDictionary<string, TaskRecord> _reusable;
    private readonly ParamSet _sessionParams;
    private readonly AttemptClock _clock;
    private (DateTimeOffset? Last, DateTimeOffset? Next)? _scheduleNeighbours;
    private readonly Dictionary<LoadedWorkflow, ParamSet> _builtIns = new(ReferenceEqualityComparer.Instance);

    /// <param name="clock">For a chunk: its clock, from its input; the attempt's orchestration starts one at 0.</param>
    public AttemptExecution(IOrchestrationContext context, AttemptInput input, WorkflowServices services, IReadOnlyDictionary<string, TaskRecord> reusable, AttemptClock? clock = null)
    {
        _context = context;
        _clock = clock ?? new AttemptClock(0, null);
        _input = input;
        _services = services;
        _reusable = reusable;
        _sessionParams = input.SessionParams.ValueKind == JsonValueKind.Object ? ParamSet.FromJson(input.SessionParams) : ParamSet.Empty;
        _recorder = new TaskRecorder(context, input.AttemptId, _clock);
    }

    public TaskRecorder Recorder => _recorder;

    /// <summary>
    /// After a fault, before it goes on: writes the records and log lines still pending, as far as
    /// that works (the fault may be the store's); the fault is the error that gets reported.
    /// </summary>
    public async Task SaveRecordsAfterFaultAsync()
    {
        try
        {
            await _recorder.DrainAsync();
        }
        catch (Exception error) when (OrchestratorFaults.EndsTheAttempt(error))
        {
            // Reported with the fault: the records it could not write end as canceled.
        }
    }

    /// <summary>Runs one task and everything under it: retries, then <c>^error</c> on failure or <c>^check</c> on success.</summary>
    public async Task<TaskOutcome> RunTaskAsync(TaskFrame frame, PlannedTask task, ParamScope scope)
    {
        if (Reused(task, scope) is { } reused)
        {
            return reused;
        }

        if (task.Disabled || (frame.IsWorkflowPlan && Selection(frame.Plan)?.Skips(task) == true))
        {
            _recorder.Set(task.FullName, TaskState.Success);
            return TaskOutcome.Success(scope.Store);
        }

        TaskOutcome outcome;
        for (var attempt = 0; ; attempt++)
        {
            var tryNumber = attempt;
            _recorder.Update(task.FullName, r => r with
            {
                State = TaskState.Running,
                Tries = tryNumber + 1,
                StartedAt = r.StartedAt ?? _context.CurrentUtcDateTime,
            });
            RenderedTask? rendered = null;
            try
            {
                rendered = Render(frame, task, scope);
                outcome = task.IsGroup
                    ? await RunGroupAsync(frame, task, rendered, Own(task, scope))
                    : await RunOperatorAsync(frame, task, rendered, Own(task, scope), attempt);
            }
            catch (TaskFailure failure)
            {
                outcome = Failed(task, scope, failure.Message);
                if (!failure.Retryable)
                {
                    break;
                }
            }
            catch (Exception error) when (error is WorkflowLanguageException or TemplateException)
            {
                // A mistake in the workflow: retrying cannot help.
                outcome = Failed(task, scope, error.Message);
                break;
            }
            catch (Exception error) when (OrchestratorFaults.EndsTheAttempt(error))
            {
                // A fault of the engine has no outcome: it ends the attempt. The task it came through shows it.
                _recorder.Set(task.FullName, task.IsGroup ? TaskState.GroupError : TaskState.Error, OrchestratorFaults.Message(error));
                throw;
            }

            if (outcome.Succeeded && task.CheckTaskIndex is { } checkIndex)
            {
                var check = await RunTaskAsync(frame, frame.Plan[checkIndex], Own(task, scope).WithStore(outcome.Store));
                outcome = check.Succeeded ? outcome with { Store = check.Store } : check;
            }

            if (outcome.Succeeded)
            {
                var delta = outcome.Store.ChangedSince(scope.Store);
                _recorder.Update(task.FullName, r => r with
                {
                    State = TaskState.Success,
                    FinishedAt = _context.CurrentUtcDateTime,
                    StoreParams = delta,
                });
                return outcome;
            }

            var limit = RetryLimit(task, rendered);
            if (attempt >= limit)
            {
                break;
            }

            _recorder.Set(task.FullName, task.IsGroup ? TaskState.GroupRetryWaiting : TaskState.RetryWaiting, outcome.ErrorMessage);
            var wait = task.Retry!.WaitBefore(attempt);
            if (wait > TimeSpan.Zero)
            {
                _recorder.Flush();
                await _context.CreateTimer(_context.CurrentUtcDateTime + wait, CancellationToken.None);
            }
        }

        _recorder.Set(task.FullName, task.IsGroup ? TaskState.GroupError : TaskState.Error, outcome.ErrorMessage);
        if (task.ErrorTaskIndex is { } errorIndex)
        {
            var errorScope = Own(task, scope).WithExport(ErrorParam(outcome), NextSequence());
            await RunTaskAsync(frame, frame.Plan[errorIndex], errorScope);
        }

        return outcome;
    }

    /// <summary>The attempt's task selection resolved against the workflow's plan, once.</summary>
    private TaskSelection.ResolvedSelection? Selection(TaskPlan plan) =>
        _input.Selection is null ? null : _resolvedSelection ??= _input.Selection.Resolve(plan);

    private TaskSelection.ResolvedSelection? _resolvedSelection;

    public AttemptClock Clock => _clock;

    /// <summary>The logical time of a param contribution made now: unique in the attempt, later than everything it follows.</summary>
    public ParamSequence NextSequence() => _clock.Next();

    /// <summary>The scope a task's own config and its children see: the inherited one plus its <c>_export</c>.</summary>
    private ParamScope Own(PlannedTask task, ParamScope scope) =>
        task.Config.Get("_export") is { } export ? scope.WithExport(export.ToJson(), ExportSequence(task)) : scope;

    /// <summary>
    /// An <c>_export</c> is set when its task starts; a stable per-task number keeps it the same
    /// on every call within one run of the task.
    /// </summary>
    private ParamSequence ExportSequence(PlannedTask task)
    {
        if (!_exportSequences.TryGetValue(task.FullName, out var sequence))
        {
            sequence = NextSequence();
            _exportSequences[task.FullName] = sequence;
        }

        return sequence;
    }

    private readonly Dictionary<string, ParamSequence> _exportSequences = new(StringComparer.Ordinal);

    private RenderedTask Render(TaskFrame frame, PlannedTask task, ParamScope scope) =>
        _services.Params.Build(task.Config, Own(task, scope), _sessionParams, BuiltIns(frame, task.FullName));

    /// <summary>
    /// Only <c>task_name</c> differs between the tasks of one workflow: the rest is built once per
    /// workflow of this orchestration and the name replaced in place (same key order, so the same
    /// environment variable order as building it whole).
    /// </summary>
    private ParamSet BuiltIns(TaskFrame frame, string taskName)
    {
        if (!_builtIns.TryGetValue(frame.Workflow, out var shared))
        {
            shared = CreateBuiltIns(frame, taskName);
            _builtIns.Add(frame.Workflow, shared);
        }

        return shared.With("task_name", taskName);
    }

    private ParamSet CreateBuiltIns(TaskFrame frame, string taskName) =>
        BuiltInVariables.Create(new BuiltInContext
        {
            SessionTime = _input.SessionTime,
            TimeZone = frame.Workflow.Definition.TimeZone,
            ProjectId = _input.ProjectId,
            ProjectName = _input.ProjectName,
            WorkflowName = frame.Workflow.Definition.Name,
            SessionUuid = _input.SessionUuid,
            SessionId = _input.SessionId,
            AttemptId = _input.AttemptNumber,
            TaskName = taskName,
            RetryAttemptName = _input.RetryAttemptName,
            LastSessionTime = _input.LastSessionTime ?? ScheduleNeighbours(frame).Last,
            NextSessionTime = _input.NextSessionTime ?? ScheduleNeighbours(frame).Next,
            LastExecutedSessionTime = _input.LastExecutedSessionTime,
        });

    /// <summary>
    /// The sessions before and after this one on the workflow's schedule, for an input that does
    /// not give them (none without a schedule): a pure function of the plan and the session time.
    /// </summary>
    private (DateTimeOffset? Last, DateTimeOffset? Next) ScheduleNeighbours(TaskFrame frame)
    {
        if (_scheduleNeighbours is { } known)
        {
            return known;
        }

        var schedule = frame.Workflow.Definition.ZonedSchedule;
        _scheduleNeighbours = schedule is null
            ? (null, null)
            : (schedule.LastScheduleTime(_input.SessionTime).SessionTime, schedule.NextScheduleTime(_input.SessionTime)?.SessionTime);
        return _scheduleNeighbours.Value;
    }

    private int RetryLimit(PlannedTask task, RenderedTask? rendered)
    {
        if (task.Retry is not { } retry)
        {
            return 0;
        }

        if (retry.LimitTemplate is null)
        {
            return retry.Limit;
        }

        var node = rendered?.Option("_retry");
        var text = node is JsonObject obj ? obj["limit"]?.ToString() : node?.ToString();
        return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var limit) && limit >= 0
            ? limit
            : throw new TaskFailure($"_retry: expected a whole number ≥ 0, got '{text}'", retryable: false);
    }

    private TaskOutcome Failed(PlannedTask task, ParamScope scope, string message) =>
        TaskOutcome.Failure(scope.Store, [new TaskError(task.FullName, message)]);

    private static JsonElement ErrorParam(TaskOutcome outcome) =>
        JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["error"] = new Dictionary<string, string>
            {
                ["message"] = outcome.ErrorMessage,
                ["task_name"] = outcome.Errors.FirstOrDefault()?.TaskName ?? string.Empty,
                ["stacktrace"] = string.Empty,
            },
        });

    /// <summary>
    /// A task (or a whole group) that succeeded in the attempt being resumed: skipped, with the
    /// params it and everything under it stored applied again, so later tasks see them — also
    /// through call>, whose subtasks' params are part of the call task's record.
    /// </summary>
    private TaskOutcome? Reused(PlannedTask task, ParamScope scope)
    {
        if (!_reusable.TryGetValue(task.FullName, out var record) || record.State != TaskState.Success)
        {
            return null;
        }

        _recorder.Update(task.FullName, _ => record with { AttemptId = _input.AttemptId });
        var store = record.StoreParams is { } stored ? scope.Store.With(stored, [], NextSequence()) : scope.Store;
        return TaskOutcome.Success(store);
    }

    internal TaskLogKey LogKey(TaskFrame frame, string taskName, int tryNumber) =>
        new(_input.ProjectName, frame.Workflow.Definition.Name, new Sessions.SessionKey(_input.ProjectName, frame.Workflow.Definition.Name, _input.SessionTime).SessionTimeText,
            string.IsNullOrEmpty(_input.RetryAttemptName) ? "attempt-" + _input.AttemptNumber.ToString(System.Globalization.CultureInfo.InvariantCulture) : _input.RetryAttemptName,
            taskName, tryNumber);
}
