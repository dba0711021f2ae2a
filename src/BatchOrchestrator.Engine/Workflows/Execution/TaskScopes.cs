using System.Text.Json;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Workflows.Params;
using BatchOrchestrator.Language.BuiltIns;
using BatchOrchestrator.Language.Compilation;
using BatchOrchestrator.Language.Parameters;

namespace BatchOrchestrator.Engine.Workflows.Execution;

/// <summary>
/// The params a task sees, as Digdag layers them: built-ins, session params, the <c>_export</c>s of
/// the task and its ancestors and the store, rendered into the task's config. Pure: a function of
/// the plan, the attempt's input and the logical clock, so the same on every replay.
/// </summary>
internal sealed class TaskScopes(IOrchestrationContext context, AttemptInput input, WorkflowServices services, AttemptClock clock)
{
    private readonly ParamSet _sessionParams = input.SessionParams.ValueKind == JsonValueKind.Object ? ParamSet.FromJson(input.SessionParams) : ParamSet.Empty;
    private readonly Dictionary<LoadedWorkflow, ParamSet> _builtIns = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, ParamSequence> _exportSequences = new(StringComparer.Ordinal);
    private (DateTimeOffset? Last, DateTimeOffset? Next)? _scheduleNeighbours;

    /// <summary>The logical time of a param contribution made now: unique in the attempt, later than everything it follows.</summary>
    public ParamSequence NextSequence() => clock.Next();

    /// <summary>The scope a task's own config and its children see: the inherited one plus its <c>_export</c>.</summary>
    public ParamScope Own(PlannedTask task, ParamScope scope) =>
        task.Config.Get("_export") is { } export ? scope.WithExport(export.ToJson(), ExportSequence(task)) : scope;

    /// <summary>The task's config with its params resolved in <paramref name="scope"/>.</summary>
    public RenderedTask Render(TaskFrame frame, PlannedTask task, ParamScope scope) =>
        services.Params.Build(task.Config, Own(task, scope), _sessionParams, BuiltIns(frame, task.FullName), context.CurrentUtcDateTime, context.Interrupted);

    /// <summary>
    /// The <c>error</c> param an <c>_error</c> task sees, as Digdag gives it: the failure's own
    /// message (what <c>fail&gt;</c> said, a Python exception's type and message) and its stack
    /// trace; when several tasks failed (in parallel), each message after its task's name.
    /// </summary>
    public static JsonElement ErrorParam(TaskOutcome outcome)
    {
        var first = outcome.Errors.FirstOrDefault();
        return JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["error"] = new Dictionary<string, string>
            {
                ["message"] = outcome.Errors.Count == 1 ? first!.Message : outcome.ErrorMessage,
                ["task_name"] = first?.TaskName ?? string.Empty,
                ["stacktrace"] = first?.StackTrace ?? string.Empty,
            },
        }, BatchOrchestrator.Engine.Json.ValuesJsonContext.Default.DictionaryStringObject);
    }

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

        var named = shared.With("task_name", taskName);
        return frame.WorkingDirectory == frame.Workflow.WorkingDirectory ? named : named.With("_workdir", WorkDirectory(frame));
    }

    /// <summary>A called workflow's folder relative to the project's (pure text: no file system in orchestrator code).</summary>
    private static string WorkDirectory(TaskFrame frame)
    {
        var root = frame.Workflow.WorkingDirectory.TrimEnd('/') + "/";
        return frame.WorkingDirectory.StartsWith(root, StringComparison.Ordinal) ? frame.WorkingDirectory[root.Length..].TrimEnd('/') : string.Empty;
    }

    private ParamSet CreateBuiltIns(TaskFrame frame, string taskName) =>
        BuiltInVariables.Create(new BuiltInContext
        {
            SessionTime = input.SessionTime,
            TimeZone = frame.Workflow.Definition.TimeZone,
            ProjectId = input.ProjectId,
            ProjectName = input.ProjectName,
            WorkflowName = frame.Workflow.Definition.Name,
            SessionUuid = input.SessionUuid,
            SessionId = input.SessionId,
            AttemptId = input.AttemptNumber,
            TaskName = taskName,
            RetryAttemptName = input.RetryAttemptName,
            LastSessionTime = input.LastSessionTime ?? ScheduleNeighbours(frame).Last,
            NextSessionTime = input.NextSessionTime ?? ScheduleNeighbours(frame).Next,
            LastExecutedSessionTime = input.LastExecutedSessionTime,
            ProjectPath = frame.Workflow.WorkingDirectory,
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
            : (schedule.LastScheduleTime(input.SessionTime).SessionTime, schedule.NextScheduleTime(input.SessionTime)?.SessionTime);
        return _scheduleNeighbours.Value;
    }
}
