using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Telemetry;
using BatchOrchestrator.Engine.Workflows.Execution;
using BatchOrchestrator.Engine.Workflows.Params;
using BatchOrchestrator.Language.Compilation;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>
/// One orchestration's walk over a task plan: Digdag's semantics (order, parallelism, retries,
/// _error/_check, params) as deterministic orchestrator code. Every side effect is an activity;
/// everything else is a pure function of the plan, the input and the history.
/// </summary>
/// <remarks>
/// This type holds a task's life (reuse, tries, <c>^check</c>, <c>^error</c>) and the operators
/// the orchestrator evaluates itself (<c>AttemptExecution.Operators.cs</c>); each other concern is
/// a type of its own in <c>Workflows/Execution</c>, testable alone on a fake context:
/// <see cref="TaskScopes"/> (params), <see cref="TaskRetries"/>, <see cref="CommandRunner"/>
/// (launch and poll), <see cref="RequireWaiter"/>, <see cref="GroupWindow"/> and
/// <see cref="ChunkedGroup"/>, <see cref="SlaWatch"/>, <see cref="AttemptNotifier"/>.
/// </remarks>
internal sealed partial class AttemptExecution
{
    private readonly IOrchestrationContext _context;
    private readonly AttemptInput _input;
    private readonly WorkflowServices _services;
    private readonly TaskRecorder _recorder;
    private readonly IReadOnlyDictionary<string, TaskRecord> _reusable;
    private readonly AttemptClock _clock;
    private readonly TaskScopes _scopes;
    private readonly TaskRetries _retries;
    private readonly CommandRunner _commands;
    private readonly RequireWaiter _require;

    /// <param name="clock">For a chunk: its clock, from its input; the attempt's orchestration starts one at 0.</param>
    /// <param name="telemetry">What the orchestration records; for tests, none.</param>
    public AttemptExecution(IOrchestrationContext context, AttemptInput input, WorkflowServices services, IReadOnlyDictionary<string, TaskRecord> reusable, AttemptClock? clock = null, OrchestrationTelemetry? telemetry = null)
    {
        Telemetry = telemetry ?? OrchestrationTelemetry.ForAttempt(context, input, services.Telemetry);
        _context = context;
        _clock = clock ?? new AttemptClock(0, null);
        _input = input;
        _services = services;
        _reusable = reusable;
        _recorder = new TaskRecorder(context, input.AttemptId, _clock);
        _scopes = new TaskScopes(context, input, services, _clock);
        _retries = new TaskRetries(context, _recorder);
        var activities = new TaskActivityCaller(context, _recorder);
        _commands = new CommandRunner(context, services, _recorder, activities, Telemetry);
        _require = new RequireWaiter(context, input, services, activities);
        Groups = new GroupWindow(services, _recorder, new ChunkedGroup(context, input, _recorder, _clock, Telemetry, services.Options.MaxPartsAtOnce), RunTaskAsync);
        Notifier = new AttemptNotifier(context, input, _recorder, _scopes, activities);
        Sla = new SlaWatch(context, services, _recorder, _scopes, Notifier, RunTaskAsync);
    }

    /// <summary>Runs groups' children (the attempt's chunks start here).</summary>
    public GroupWindow Groups { get; }

    /// <summary>The workflow's <c>sla:</c>.</summary>
    public SlaWatch Sla { get; }

    /// <summary>The notification of the attempt's end.</summary>
    public AttemptNotifier Notifier { get; }

    public TaskRecorder Recorder => _recorder;

    /// <summary>The orchestration's metrics and spans.</summary>
    public OrchestrationTelemetry Telemetry { get; }

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
        if (Reused(frame, task, scope) is { } reused)
        {
            return reused;
        }

        if (task.Disabled)
        {
            _recorder.Set(task.FullName, TaskState.Success);
            return TaskOutcome.Success(scope.Store);
        }

        if (frame.IsWorkflowPlan && Selection(frame.Plan)?.Skips(task) == true)
        {
            // Not a success: a later attempt of the session must run it, not reuse it.
            _recorder.Set(task.FullName, TaskState.Skipped);
            return TaskOutcome.Success(scope.Store);
        }

        TaskOutcome outcome;
        var lastTry = 0;
        var logTry = _logTries.GetValueOrDefault(task.FullName);
        string? executor = null;
        for (var attempt = 0; ; attempt++)
        {
            var tryNumber = attempt;
            lastTry = attempt;
            Telemetry.TryStarted(task, attempt);
            _recorder.Update(task.FullName, r => r with
            {
                State = TaskState.Running,
                // A try run again after its host stopped was counted already: a retry is one more than the records show.
                Tries = attempt == 0 ? tryNumber + 1 : Math.Max(r.Tries + 1, tryNumber + 1),
                StartedAt = r.StartedAt ?? _context.CurrentUtcDateTime,
            });
            RenderedTask? rendered = null;
            try
            {
                rendered = Render(frame, task, scope);
                executor = task.IsGroup ? null : ExecutorOf(task, rendered);
                outcome = task.IsGroup
                    ? await Groups.RunGroupAsync(frame, task, rendered, Own(task, scope))
                    : await RunOperatorAsync(frame, task, rendered, Own(task, scope), attempt, _logTries[task.FullName] = ++logTry);
            }
            catch (TaskFailure failure)
            {
                outcome = Failed(task, scope, failure.Message, failure.Traceback);
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
                Telemetry.TryEnded(task, attempt, succeeded: false, retried: false, OrchestratorFaults.Message(error), executor);
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
                Telemetry.TryEnded(task, attempt, succeeded: true, retried: false, null, executor);
                return outcome;
            }

            var limit = TaskRetries.Limit(task, rendered);
            if (attempt >= limit)
            {
                break;
            }

            _recorder.Set(task.FullName, task.IsGroup ? TaskState.GroupRetryWaiting : TaskState.RetryWaiting, outcome.ErrorOf(task.FullName));
            Telemetry.TryEnded(task, attempt, succeeded: false, retried: true, outcome.ErrorMessage, executor);
            await _retries.WaitBeforeRetryAsync(task, attempt);
        }

        _recorder.Set(task.FullName, task.IsGroup ? TaskState.GroupError : TaskState.Error, outcome.ErrorOf(task.FullName));
        Telemetry.TryEnded(task, lastTry, succeeded: false, retried: false, outcome.ErrorMessage, executor);
        if (task.ErrorTaskIndex is { } errorIndex)
        {
            var errorScope = Own(task, scope).WithExport(TaskScopes.ErrorParam(outcome), NextSequence());
            await RunTaskAsync(frame, frame.Plan[errorIndex], errorScope);
        }

        return outcome;
    }

    /// <summary>The attempt's task selection resolved against the workflow's plan, once.</summary>
    private TaskSelection.ResolvedSelection? Selection(TaskPlan plan) =>
        _input.Selection is null ? null : _resolvedSelection ??= _input.Selection.Resolve(plan);

    private TaskSelection.ResolvedSelection? _resolvedSelection;

    /// <summary>
    /// How many tries of each task this orchestration has started, to number their logs from 1:
    /// a task run again by its group's retry starts at try 0 again, yet gets a log of its own.
    /// </summary>
    private readonly Dictionary<string, int> _logTries = new(StringComparer.Ordinal);

    public AttemptClock Clock => _clock;

    /// <summary>The logical time of a param contribution made now: unique in the attempt, later than everything it follows.</summary>
    public ParamSequence NextSequence() => _scopes.NextSequence();

    /// <summary>The scope a task's own config and its children see: the inherited one plus its <c>_export</c>.</summary>
    private ParamScope Own(PlannedTask task, ParamScope scope) => _scopes.Own(task, scope);

    private RenderedTask Render(TaskFrame frame, PlannedTask task, ParamScope scope) => _scopes.Render(frame, task, scope);

    private TaskOutcome Failed(PlannedTask task, ParamScope scope, string message, string? stackTrace = null) =>
        TaskOutcome.Failure(scope.Store, [new TaskError(task.FullName, message, stackTrace)]);

    /// <summary>
    /// A task (or a whole group) that succeeded in the attempt being resumed: skipped, with the
    /// params it and everything under it stored applied again, so later tasks see them — also
    /// through call>, whose subtasks' params are part of the call task's record. A group is reused
    /// whole only when each of its tasks is: one added to the workflow since (or chosen to run
    /// again) runs, its succeeded siblings are reused one by one, as in Digdag's local mode.
    /// </summary>
    private TaskOutcome? Reused(TaskFrame frame, PlannedTask task, ParamScope scope)
    {
        if (!_reusable.TryGetValue(task.FullName, out var record) || record.State != TaskState.Success
            || (task.IsGroup && !EveryChildReusable(frame.Plan, task)))
        {
            return null;
        }

        _recorder.Update(task.FullName, _ => record with { AttemptId = _input.AttemptId });
        var store = record.StoreParams is { } stored ? scope.Store.With(stored, [], NextSequence()) : scope.Store;
        return TaskOutcome.Success(store);
    }

    private bool EveryChildReusable(TaskPlan plan, PlannedTask group) =>
        plan.NormalChildren(group).All(child =>
            child.Disabled
            || (_reusable.TryGetValue(child.FullName, out var record) && record.State == TaskState.Success
                && (!child.IsGroup || EveryChildReusable(plan, child))));

    internal TaskLogKey LogKey(TaskFrame frame, string taskName, int tryNumber) => TaskLogKeys.For(_input, frame, taskName, tryNumber);
}
