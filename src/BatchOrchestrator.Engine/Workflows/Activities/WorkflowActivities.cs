using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Telemetry;

namespace BatchOrchestrator.Engine.Workflows.Activities;

/// <summary>
/// The side effects of the interpreter, one method per activity. Each runs at least once per
/// call: every one is idempotent (records are upserts keeping the newest update, launches
/// adopt an earlier launch of the same try, log appends may repeat after a crash).
/// </summary>
public sealed partial class WorkflowActivities(ActivityOperators operators, IEnumerable<ICommandExecutor> executors, ILogStore logs, IRunStore runs, IProjectRevisionStore revisions, Sessions.ISessionStarter? sessions = null, TaskSecrets? secrets = null, Telemetry.EngineTelemetry? telemetry = null, TimeProvider? clock = null, WorkflowCompiler? compiler = null)
{
    private readonly Dictionary<string, ICommandExecutor> _executors = executors.ToDictionary(e => e.Name, StringComparer.Ordinal);

    // Every chunk of a large group loads its workflow again: read and checked once per revision, not once per chunk.
    private readonly WorkflowSourceCache _workflowSources = new();

    // What launches send once per attempt rather than once per task (see SharedEnvironment).
    private readonly SharedEnvironmentCache _sharedEnvironments = new(runs);

    // Without a store, ${secret:...} fails as "not set" and nothing is ever resolved, so nothing needs masking.
    private readonly TaskSecrets _secrets = secrets ?? new TaskSecrets(new EmptySecretStore(), new MaskingLogStore(logs));

    /// <summary>
    /// Runs a work operator with <c>${secret:...}</c> resolved in its request. The values are
    /// masked in what it writes to its log (through the masking log store), in its result and
    /// in its failure: none reaches history or records.
    /// </summary>
    private async Task<TaskResult> RunOperatorCoreAsync(RunOperatorInput input, CancellationToken cancellationToken)
    {
        Dequeued(input.Request.Log, TelemetryNames.Operator, input.Request.OperatorName, input.ReadyAt);
        await ApplyAsync(input.Writes, cancellationToken);
        var op = operators.Find(input.Request.OperatorName)
            ?? throw new TaskFailure($"operator {input.Request.OperatorName}> is not available on this host (available: {string.Join(", ", operators.Names.Select(n => n + ">"))})", retryable: false);

        // Recorded before the status is read, and the task's records written before that: a kill
        // either ran before the read (the try does not start) or comes after and finds this try
        // (to clean it up) and its record (to cancel it). A polling operator's later runs were recorded by its first.
        if (input.Request.PollState is null)
        {
            await runs.UpsertStartedTryAsync(StartedTryOf(input.Request), cancellationToken);
        }

        await RefuseIfKilledAsync(input.Request.AttemptId, cancellationToken);
        var (request, masker) = await ResolveAsync(op, input.Request, cancellationToken);
        _secrets.Logs.Register(request.Log, masker);
        try
        {
            return masker.Mask(await op.RunAsync(request, cancellationToken));
        }
        catch (Exception e) when (masker.Reveals(e))
        {
            throw masker.Redact(e);
        }
        finally
        {
            await _secrets.Logs.CompleteAsync(request.Log, cancellationToken);
        }
    }

    /// <summary>The operator's own secrets that are set, added to its params (they never leave this activity).</summary>
    private async Task<TaskRequest> WithOperatorSecretsAsync(TaskRequest request, ISecretConsumer consumer, Secrets.SecretResolver resolver, CancellationToken cancellationToken)
    {
        var set = await _secrets.Store.ListAsync(request.Log.Project, cancellationToken);
        var keys = consumer.SecretKeys.Where(k => set.Contains(k, StringComparer.Ordinal)).ToList();
        if (keys.Count == 0)
        {
            return request;
        }

        var parameters = System.Text.Json.Nodes.JsonNode.Parse(request.Params.GetRawText()) as System.Text.Json.Nodes.JsonObject ?? [];
        foreach (var key in keys)
        {
            // Resolving a reference both reads the value and registers it for masking.
            parameters[key] = await resolver.ResolveAsync("${secret:" + key + "}", cancellationToken);
        }

        return request with { Params = System.Text.Json.JsonSerializer.SerializeToElement(parameters, BatchOrchestrator.Engine.Json.ValuesJsonContext.Default.JsonObject) };
    }

    /// <summary>
    /// Launches a command with <c>${secret:...}</c> resolved in its arguments, environment and
    /// files. Its log is registered for masking before it starts, so its first output is masked too.
    /// </summary>
    private async Task<CommandStatus> LaunchCommandCoreAsync(LaunchCommandInput input, CancellationToken cancellationToken)
    {
        if (input.Shared is { } shared)
        {
            if (await _sharedEnvironments.RestoreAsync(input.Command, shared, cancellationToken) is not { } command)
            {
                await ApplyAsync(input.Writes, cancellationToken);
                return SharedEnvironmentUnknown(input);
            }

            input = input with { Command = command, Shared = null };
        }

        // The log lines ride along, written while the command starts (not before it); the records
        // are committed with the launch's mark (LaunchResolvedAsync), so a command seen running has
        // its record. The activity completes only when both are done, so nothing is lost on a crash.
        Dequeued(input.Command.Log, TelemetryNames.Executor, input.Executor, input.ReadyAt);
        var writes = ApplyLogsAsync(input.Writes, cancellationToken);
        var records = new LaunchRecords(RecordsOf(input.Writes));
        try
        {
            return await LaunchResolvedAsync(input, records, writes, cancellationToken);
        }
        finally
        {
            await writes;

            // Taken from the orchestrator with this activity: written whatever became of the launch.
            if (!records.Written && records.Pending.Count > 0)
            {
                await runs.UpsertTasksAsync(records.Pending, cancellationToken);
            }
        }
    }

    /// <summary>The task records a launch carries, and whether they were committed with its mark.</summary>
    private sealed class LaunchRecords(List<TaskRecord> pending)
    {
        public List<TaskRecord> Pending { get; } = pending;

        public bool Written { get; set; }
    }

    private static CommandStatus SharedEnvironmentUnknown(LaunchCommandInput input) => new()
    {
        Phase = CommandPhase.Pending,
        State = new CommandState(input.Executor, BatchOrchestrator.Language.Parameters.JsonValues.Null),
        SharedEnvironmentUnknown = true,
    };

    private async Task<CommandStatus> LaunchResolvedAsync(LaunchCommandInput input, LaunchRecords records, Task writes, CancellationToken cancellationToken)
    {
        var executor = Executor(input.Executor);

        // What the try starts is recorded before it starts (where it runs: a kill that comes before
        // the state is known can still find it) and again with its state once launched.
        var started = new StartedTry
        {
            AttemptId = input.Command.AttemptId,
            TaskName = input.Command.TaskName,
            Try = input.Command.Try,
            Executor = input.Executor,
            Container = input.Command.Container,
            Launch = input.Launch,
        };

        // The durable mark, written before anything starts and kept when the task's folder is gone: a
        // launch that finds its own mark ran before, on a host that stopped before its result was saved
        // (the command may even have finished and been cleaned up), so the records count one more try
        // for each earlier delivery — unless its executor adopts what the first delivery created
        // (ICommandExecutor.RelaunchRunsAgain).
        // The attempt's status comes with the mark, read after it is written (see IRunStore.MarkLaunchAsync).
        var mark = await runs.MarkLaunchAsync(started, records.Pending, cancellationToken);
        records.Written = true;
        var earlierDeliveries = mark.EarlierDeliveries;
        started = started with { Deliveries = earlierDeliveries + 1 };
        await RefuseIfKilledAsync(started.AttemptId, mark.AttemptStatus, cancellationToken, writes);
        var resolver = _secrets.Resolver(input.Command.Log);
        var command = await resolver.ResolveAsync(BundledFiles.Expand(input.Command), cancellationToken);
        var masker = resolver.Masker;
        _secrets.Logs.Register(command.Log, masker);
        try
        {
            var launching = Clock.GetTimestamp();
            var status = await executor.LaunchAsync(command, cancellationToken);
            var redeliveries = executor.RelaunchRunsAgain ? earlierDeliveries : 0;
            status = status with { Redeliveries = redeliveries };
            Launched(command.Log, input.Executor, Clock.GetElapsedTime(launching));

            // A kill that read the started tries before the state was written did not see this
            // command; one that reads them after does. The status is read after the write: if the
            // attempt was killed meanwhile, this launch stops what it started itself.
            // The state and the status read after it in one transaction where the store can, as the mark.
            await writes;
            var launched = await runs.MarkLaunchAsync(started with { Command = status.State }, [], cancellationToken);
            if (launched.AttemptStatus == AttemptStatus.Killed)
            {
                await StopCommandAsync(executor, status.State, cancellationToken);
                await RefuseIfKilledAsync(started.AttemptId, cancellationToken);
            }

            // An executor whose poll waits (a local process) gets its first poll here: a short
            // command is launched, awaited and finished in one activity, within one poll's time.
            if (!status.IsFinished && status.Phase != CommandPhase.Lost && status.PollAfter == TimeSpan.Zero)
            {
                status = await executor.PollAsync(status.State, cancellationToken) with { Restarted = status.Restarted, Redeliveries = redeliveries };
            }

            return masker.Mask(await FinishIfDoneAsync(executor, status, command.Log, cancellationToken));
        }
        catch (Exception e) when (masker.Reveals(e))
        {
            throw masker.Redact(e);
        }
    }

    private async Task<CommandStatus> PollCommandCoreAsync(CommandStateInput input, CancellationToken cancellationToken)
    {
        await ApplyAsync(input.Writes, cancellationToken);
        var masker = await MaskerAsync(input, cancellationToken);
        try
        {
            var executor = Executor(input.State.Executor);
            var status = await executor.PollAsync(input.State, cancellationToken);
            Stuck(input.Log, input.State.Executor, status);
            return masker.Mask(await FinishIfDoneAsync(executor, status, input.Log, cancellationToken));
        }
        catch (Exception e) when (masker.Reveals(e))
        {
            throw masker.Redact(e);
        }
    }

    /// <summary>Copies the last output into the log (masked, with what masking held back), then releases what the command left.</summary>
    public async Task<bool> FinishCommandAsync(CommandStateInput input, CancellationToken cancellationToken)
    {
        await ApplyAsync(input.Writes, cancellationToken);
        var executor = Executor(input.State.Executor);
        var masker = await MaskerAsync(input, cancellationToken);
        try
        {
            await FinishAsync(executor, input.State, input.Log, cancellationToken);
        }
        catch (Exception e) when (masker.Reveals(e))
        {
            throw masker.Redact(e);
        }

        return true;
    }

    public async Task<bool> RecordTasksAsync(RecordTasksInput input, CancellationToken cancellationToken)
    {
        await ApplyAsync(input.Writes, cancellationToken);
        return true;
    }

    /// <summary>Writes the records and log lines an activity carries (idempotent: upserts keep the newest; a repeated log line is tolerated).</summary>
    private async Task ApplyAsync(PendingWrites? writes, CancellationToken cancellationToken)
    {
        if (writes is null || writes.IsEmpty)
        {
            return;
        }

        await ApplyLogsAsync(writes, cancellationToken);
        if (writes.Records.Count > 0)
        {
            await runs.UpsertTasksAsync(RecordsOf(writes), cancellationToken);
        }
    }

    private static List<TaskRecord> RecordsOf(PendingWrites? writes) =>
        writes is null ? [] : writes.Records.Select(u => u.Record with { Sequence = u.Sequence }).ToList();

    private async Task ApplyLogsAsync(PendingWrites? writes, CancellationToken cancellationToken)
    {
        if (writes is null || writes.Logs.Count == 0)
        {
            return;
        }

        // Lines of one log stay in order; different logs are written side by side. Creating a log
        // file can block for milliseconds in the kernel (its journal, behind other processes'
        // fsyncs), and a batch of a chunk's echo> tasks creates one file per task.
        var byLog = writes.Logs.GroupBy(line => line.Log).ToList();
        if (byLog.Count == 1)
        {
            await AppendAllAsync(byLog[0], cancellationToken);
        }
        else if (byLog.Count > 1)
        {
            await Parallel.ForEachAsync(
                byLog,
                new ParallelOptions { MaxDegreeOfParallelism = ParallelLogWrites, CancellationToken = cancellationToken },
                async (lines, token) => await AppendAllAsync(lines, token));
        }
    }

    private const int ParallelLogWrites = 4;

    private async Task AppendAllAsync(IEnumerable<WriteLogInput> lines, CancellationToken cancellationToken)
    {
        foreach (var line in lines)
        {
            await logs.AppendAsync(line.Log, line.Text, cancellationToken);
        }
    }

    private async Task<CommandStatus> FinishIfDoneAsync(ICommandExecutor executor, CommandStatus status, TaskLogKey? log, CancellationToken cancellationToken)
    {
        if (!status.IsFinished)
        {
            return status;
        }

        await FinishAsync(executor, status.State, log, cancellationToken);

        // Finished and cleaned up, the command's state has no further use: the orchestrator reads
        // only the outcome. Left out, each task's result in history is about half as long to write and read.
        return status with { Collected = true, State = new CommandState(status.State.Executor, BatchOrchestrator.Language.Parameters.JsonValues.Null) };
    }

    private async Task FinishAsync(ICommandExecutor executor, CommandState state, TaskLogKey? log, CancellationToken cancellationToken)
    {
        var collected = await executor.CollectLogsAsync(state, cancellationToken);
        if (log is { } key)
        {
            await _secrets.Logs.CompleteAsync(key, cancellationToken);
        }

        await executor.CleanupAsync(collected, cancellationToken);
    }

    /// <summary>
    /// Moves the attempt's record to its final status (a no-op when it is already finished); after
    /// a fault of the engine, also records the error and ends the tasks left unfinished.
    /// </summary>
    public async Task<bool> FinishAttemptAsync(FinishAttemptInput input, CancellationToken cancellationToken)
    {
        // The status first: should the task records fail to write, the attempt is still not left running.
        if (await runs.GetAttemptAsync(input.AttemptId, cancellationToken) is { } attempt)
        {
            await runs.UpsertAttemptAsync(attempt with { Status = input.Status, FinishedAt = input.FinishedAt }, cancellationToken);
        }

        if (input.Fault is { } fault)
        {
            await RecordFaultAsync(input.AttemptId, fault, input.FinishedAt, cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// The fault on its task (shown by <c>bo tasks</c>, the API and the UI), and every task not
    /// finished canceled. Written as the last word on each (as a kill writes): a late write of an
    /// activity still under way cannot bring one back to running.
    /// </summary>
    private async Task RecordFaultAsync(string attemptId, Workflows.TaskError fault, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tasks = await runs.GetTasksAsync(attemptId, cancellationToken);
        var faulted = tasks.FirstOrDefault(t => t.TaskName == fault.TaskName)
            ?? new TaskRecord { AttemptId = attemptId, TaskName = fault.TaskName, State = TaskState.Blocked, Tries = 1, StartedAt = now };
        var final = tasks
            .Where(t => t.TaskName != fault.TaskName && TaskStateProgress.Of(t.State) < TaskStateProgress.Of(TaskState.Success))
            .Select(t => t with { State = TaskState.Canceled, FinishedAt = now, Error = t.Error ?? "canceled: the workflow engine failed", Sequence = Sessions.AttemptKiller.FinalSequence })
            .Prepend(faulted with { State = TaskState.GroupError, FinishedAt = now, Error = fault.Message, Sequence = Sessions.AttemptKiller.FinalSequence })
            .ToList();
        await runs.UpsertTasksAsync(final, cancellationToken);
    }

    public Task<TaskResult> RunOperatorAsync(RunOperatorInput input, CancellationToken cancellationToken) =>
        KeepPermanence(() => RunOperatorCoreAsync(input, cancellationToken));

    public Task<CommandStatus> LaunchCommandAsync(LaunchCommandInput input, CancellationToken cancellationToken) =>
        KeepPermanence(() => LaunchCommandCoreAsync(input, cancellationToken));

    public Task<CommandStatus> PollCommandAsync(CommandStateInput input, CancellationToken cancellationToken) =>
        KeepPermanence(() => PollCommandCoreAsync(input, cancellationToken));

    /// <summary>
    /// A failure that retrying cannot fix (a config error) crosses the activity boundary as its
    /// own exception type, because only the type and message survive serialization.
    /// </summary>
    private static async Task<T> KeepPermanence<T>(Func<Task<T>> activity)
    {
        try
        {
            return await activity();
        }
        catch (TaskFailure failure) when (!failure.Retryable)
        {
            throw new PermanentTaskFailure(failure.Message);
        }
    }

    /// <summary>Starts (or finds) the session a <c>require&gt;</c> waits for.</summary>
    public Task<string> RequireSessionAsync(RequireSessionInput input, CancellationToken cancellationToken) =>
        KeepPermanence(() => sessions is null
            ? throw new TaskFailure("require> cannot start sessions on this host", retryable: false)
            : sessions.StartOrFindAsync(input.Request, cancellationToken));

    /// <summary>The recorded status of an attempt (running until its orchestrator records the end).</summary>
    public async Task<AttemptStatus> GetAttemptStatusAsync(AttemptStatusInput input, CancellationToken cancellationToken) =>
        await runs.GetAttemptStatusAsync(input.AttemptId, cancellationToken)
        ?? throw new TaskFailure($"attempt {input.AttemptId} is not recorded", retryable: false);

    /// <summary>
    /// The files the orchestrator compiles a workflow from, read from the revision store (so a
    /// store that is briefly unreachable fails this activity, which the orchestrator retries);
    /// a missing or invalid workflow is an answer: <see cref="WorkflowSource.Errors"/>.
    /// </summary>
    public Task<WorkflowSource> LoadWorkflowAsync(PlanReference input, CancellationToken cancellationToken) =>
        _workflowSources.GetOrLoadAsync(input, () => WorkflowSources.LoadAsync(revisions, operators.Registry, input, cancellationToken, compiler));

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

    /// <summary>
    /// The masker of a launched try: the one its launch registered, or — when this host did not
    /// launch it (a restart, another worker) — one made again from the keys the command names,
    /// registered so the output collected from now on is masked as well.
    /// </summary>
    private async Task<SecretMasker> MaskerAsync(CommandStateInput input, CancellationToken cancellationToken)
    {
        if (input.Log is not { } log || input.SecretKeys is not { Count: > 0 } keys)
        {
            return SecretMasker.None;
        }

        if (_secrets.Logs.MaskerOf(log) is { } registered)
        {
            return registered;
        }

        var resolver = _secrets.Resolver(log);
        await resolver.LoadAsync(keys, cancellationToken);
        var masker = resolver.Masker;
        _secrets.Logs.Register(log, masker);
        return masker;
    }

    private ICommandExecutor Executor(string name) =>
        _executors.GetValueOrDefault(name)
        ?? throw new TaskFailure($"container.executor '{name}' is not available on this host (available: {string.Join(", ", _executors.Keys.Order(StringComparer.Ordinal))})", retryable: false);
}
