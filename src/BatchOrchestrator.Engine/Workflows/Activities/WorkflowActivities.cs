using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Workflows.Activities;

/// <summary>
/// The side effects of the interpreter, one method per activity. Each runs at least once per
/// call: every one is idempotent (records are upserts keeping the newest update, launches
/// adopt an earlier launch of the same try, log appends may repeat after a crash).
/// </summary>
public sealed class WorkflowActivities(OperatorRegistry operators, IEnumerable<ICommandExecutor> executors, ILogStore logs, IRunStore runs, Sessions.ISessionStarter? sessions = null)
{
    private readonly Dictionary<string, ICommandExecutor> _executors = executors.ToDictionary(e => e.Name, StringComparer.Ordinal);

    public Task<TaskResult> RunOperatorAsync(RunOperatorInput input, CancellationToken cancellationToken)
    {
        var op = operators.Find(input.Request.OperatorName)
            ?? throw new TaskFailure($"operator {input.Request.OperatorName}> is not available on this host (available: {string.Join(", ", operators.Names.Select(n => n + ">"))})", retryable: false);
        return op.RunAsync(input.Request, cancellationToken);
    }

    public Task<CommandStatus> LaunchCommandAsync(LaunchCommandInput input, CancellationToken cancellationToken) =>
        Executor(input.Executor).LaunchAsync(input.Command, cancellationToken);

    public Task<CommandStatus> PollCommandAsync(CommandStateInput input, CancellationToken cancellationToken) =>
        Executor(input.State.Executor).PollAsync(input.State, cancellationToken);

    /// <summary>Copies the last output into the log, then releases what the command left.</summary>
    public async Task<bool> FinishCommandAsync(CommandStateInput input, CancellationToken cancellationToken)
    {
        var executor = Executor(input.State.Executor);
        var state = await executor.CollectLogsAsync(input.State, cancellationToken);
        await executor.CleanupAsync(state, cancellationToken);
        return true;
    }

    public async Task<bool> RecordTasksAsync(RecordTasksInput input, CancellationToken cancellationToken)
    {
        await runs.UpsertTasksAsync(input.Updates.Select(u => u.Record with { Sequence = u.Sequence }).ToList(), cancellationToken);
        return true;
    }

    /// <summary>Moves the attempt's record to its final status (a no-op when it is already finished).</summary>
    public async Task<bool> FinishAttemptAsync(FinishAttemptInput input, CancellationToken cancellationToken)
    {
        if (await runs.GetAttemptAsync(input.AttemptId, cancellationToken) is { } attempt)
        {
            await runs.UpsertAttemptAsync(attempt with { Status = input.Status, FinishedAt = input.FinishedAt }, cancellationToken);
        }

        return true;
    }

    /// <summary>Starts (or finds) the session a <c>require&gt;</c> waits for.</summary>
    public Task<string> RequireSessionAsync(RequireSessionInput input, CancellationToken cancellationToken) =>
        sessions is null
            ? throw new TaskFailure("require> cannot start sessions on this host", retryable: false)
            : sessions.StartOrFindAsync(input.Request, cancellationToken);

    /// <summary>The recorded status of an attempt (running until its orchestrator records the end).</summary>
    public async Task<AttemptStatus> GetAttemptStatusAsync(AttemptStatusInput input, CancellationToken cancellationToken) =>
        (await runs.GetAttemptAsync(input.AttemptId, cancellationToken))?.Status
        ?? throw new TaskFailure($"attempt {input.AttemptId} is not recorded", retryable: false);

    public async Task<bool> WriteLogAsync(WriteLogInput input, CancellationToken cancellationToken)
    {
        await logs.AppendAsync(input.Log, input.Text, cancellationToken);
        return true;
    }

    public async Task<ResumeState> LoadResumeStateAsync(LoadResumeStateInput input, CancellationToken cancellationToken)
    {
        var tasks = await runs.GetTasksAsync(input.AttemptId, cancellationToken);
        IEnumerable<TaskRecord> reusable = tasks;
        if (input.Mode == Workflows.ResumeMode.From && input.FromTask is { } from)
        {
            // Tasks are listed in the order they were first written: everything written before
            // the named task started is "before" it.
            reusable = tasks.TakeWhile(t => !string.Equals(t.TaskName, from, StringComparison.Ordinal)
                && !t.TaskName.StartsWith(from + "+", StringComparison.Ordinal)
                && !t.TaskName.StartsWith(from + "^", StringComparison.Ordinal));
        }

        return new ResumeState(reusable.Where(t => t.State == TaskState.Success && !IsAncestorOfFrom(t.TaskName, input.FromTask)).ToList());
    }

    private static bool IsAncestorOfFrom(string taskName, string? from) =>
        from is not null && (from.StartsWith(taskName + "+", StringComparison.Ordinal) || from.StartsWith(taskName + "^", StringComparison.Ordinal));

    private ICommandExecutor Executor(string name) =>
        _executors.GetValueOrDefault(name)
        ?? throw new TaskFailure($"container.executor '{name}' is not available on this host (available: {string.Join(", ", _executors.Keys.Order(StringComparer.Ordinal))})", retryable: false);
}
