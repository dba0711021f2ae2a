using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Workflows.Activities;

/// <summary>
/// The SPI side of a kill: what the tries of a killed attempt started is stopped through the
/// executors and operators that started it. The activities know them, so a kill and a launch that
/// meets a kill stop things the same way.
/// </summary>
public sealed partial class WorkflowActivities : IStartedTryStopper
{
    private const string KilledMessage = "the attempt was killed";

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, string>> StopStartedTriesAsync(string attemptId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attemptId);
        var started = await runs.GetStartedTriesAsync(attemptId, cancellationToken);
        var records = (await runs.GetTasksAsync(attemptId, cancellationToken)).ToDictionary(t => t.TaskName, StringComparer.Ordinal);

        // A task's tries run one after another: only its last one can still be running, and not
        // when the task finished by itself (a task the kill canceled already is still stopped: a
        // kill recorded by another process cancels the records before this host stops the tries).
        var last = started
            .GroupBy(t => t.TaskName, StringComparer.Ordinal)
            .Select(g => g.MaxBy(t => t.Try)!)
            .Where(t => !(records.GetValueOrDefault(t.TaskName) is { } record && record.State is TaskState.Success or TaskState.Error or TaskState.GroupError))
            .ToList();

        var failures = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var stops = last.Select(t => StopGuardedAsync(t.TaskName, () => StopAsync(t, cancellationToken), failures)).ToList();

        // Executors that can find an attempt's commands without their states (the processes this
        // host runs, the Jobs labelled with the attempt) are asked too, told where the tries ran:
        // that covers a launch that died between starting its command and writing its state.
        foreach (var (name, executor) in _executors)
        {
            if (executor is IAttemptCommandCanceller canceller)
            {
                var mine = started.Where(t => t.Executor == name).ToList();
                stops.Add(StopGuardedAsync("+" + attemptId, () => canceller.CancelAttemptAsync(attemptId, mine, cancellationToken), failures));
            }
        }

        await Task.WhenAll(stops);
        return failures;
    }

    /// <summary>Stops one try: its command through its executor (cancel, then clean up), or its operator's cleanup.</summary>
    private async Task StopAsync(StartedTry started, CancellationToken cancellationToken)
    {
        if (started.Executor is { } name)
        {
            // Without a state the per-attempt cancel is all there is (see StopStartedTriesAsync).
            if (started.Command is { } state && _executors.GetValueOrDefault(name) is { } executor)
            {
                await StopCommandAsync(executor, state, cancellationToken);
            }

            return;
        }

        if (started.Request is { } request && operators.Find(request.OperatorName) is { } op)
        {
            // The same request the try ran with, secrets resolved (and masked in what cleanup logs).
            var (resolved, masker) = await ResolveAsync(op, request, cancellationToken);

            // When this host still runs the try, its log keeps the run's masker (completing it here
            // would end the masking of what the run still writes).
            var registered = _secrets.Logs.MaskerOf(resolved.Log) is null;
            if (registered)
            {
                _secrets.Logs.Register(resolved.Log, masker);
            }

            try
            {
                await op.CleanupAsync(resolved, cancellationToken);
            }
            catch (Exception e) when (masker.Reveals(e))
            {
                throw masker.Redact(e);
            }
            finally
            {
                if (registered)
                {
                    await _secrets.Logs.CompleteAsync(resolved.Log, cancellationToken);
                }
            }
        }
    }

    private static async Task StopCommandAsync(ICommandExecutor executor, CommandState state, CancellationToken cancellationToken)
    {
        await executor.CancelAsync(state, cancellationToken);
        await executor.CleanupAsync(state, cancellationToken);
    }

    private static async Task StopGuardedAsync(string taskName, Func<Task> stop, System.Collections.Concurrent.ConcurrentDictionary<string, string> failures)
    {
        try
        {
            await stop();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One try that cannot be stopped must not keep the others running; the record says so.
            failures[taskName] = e.Message;
        }
    }

    private StartedTry StartedTryOf(TaskRequest request) => new()
    {
        AttemptId = request.AttemptId,
        TaskName = request.TaskName,
        Try = request.Try,
        OperatorName = request.OperatorName,
        Request = request,
    };

    /// <summary>
    /// Fails the try for good when its attempt was killed (a kill recorded while the activity was on
    /// its way): nothing starts, and the records this activity wrote are canceled like the others.
    /// </summary>
    private async Task RefuseIfKilledAsync(string attemptId, CancellationToken cancellationToken) =>
        await RefuseIfKilledAsync(attemptId, await runs.GetAttemptStatusAsync(attemptId, cancellationToken), cancellationToken);

    /// <summary>As <see cref="RefuseIfKilledAsync(string, CancellationToken)"/>, with the attempt's status already read.</summary>
    private async Task RefuseIfKilledAsync(string attemptId, AttemptStatus? status, CancellationToken cancellationToken, Task? writes = null)
    {
        if (status != AttemptStatus.Killed)
        {
            return;
        }

        if (writes is not null)
        {
            await writes;
        }

        await AttemptKiller.MarkKilledAsync(runs, attemptId, DateTimeOffset.UtcNow, cancellationToken);
        throw new TaskFailure(KilledMessage, retryable: false);
    }

    /// <summary>The request with <c>${secret:...}</c> resolved and the operator's own secrets added, and the masker of those values.</summary>
    private async Task<(TaskRequest Request, SecretMasker Masker)> ResolveAsync(IOperator op, TaskRequest request, CancellationToken cancellationToken)
    {
        var resolver = _secrets.Resolver(request.Log);
        var resolved = await resolver.ResolveAsync(request, cancellationToken);
        if (op is ISecretConsumer consumer)
        {
            resolved = await WithOperatorSecretsAsync(resolved, consumer, resolver, cancellationToken);
        }

        return (resolved, resolver.Masker);
    }
}
