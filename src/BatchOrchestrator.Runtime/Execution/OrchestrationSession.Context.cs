using BatchOrchestrator.Engine.Orchestration;
using Microsoft.Extensions.Logging;

namespace BatchOrchestrator.Runtime.Execution;

/// <summary>The orchestrator-facing side of a session.</summary>
internal sealed partial class OrchestrationSession : IOrchestrationContext
{
    public string InstanceId { get; }

    public string Name { get; private set; } = "";

    public DateTime CurrentUtcDateTime { get; private set; }

    public bool IsReplaying { get; private set; }

    /// <summary>Set by the dispatcher for each turn (and a cold start's replay).</summary>
    public CancellationToken Interrupted { get; set; }

    public T? GetInput<T>() => _converter.Deserialize<T>(_input);

    public async Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var serialized = _converter.Serialize(input);
        var shared = input as ISharedActivityInput;
        var raw = await RetryPolicy.RunAsync(this, options?.Retry, () => Schedule(id => new ScheduleTaskAction(id, name, serialized) { Shared = shared }, name));
        return _results.Deserialize<TResult>(raw)!;
    }

    public async Task<TResult> CallSubOrchestratorAsync<TResult>(string orchestratorName, object? input = null, TaskOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName);
        var serialized = _converter.Serialize(input);
        var childId = (options as SubOrchestrationOptions)?.InstanceId;
        var raw = await RetryPolicy.RunAsync(this, options?.Retry, () =>
        {
            // A retry needs a fresh id unless the caller chose one: the failed child still exists.
            var id = childId ?? SubOrchestrationIds.Derive(InstanceId, NewGuid());
            return Schedule(taskId => new CreateSubOrchestrationAction(taskId, orchestratorName, id, serialized), orchestratorName);
        });
        return _converter.Deserialize<TResult>(raw)!;
    }

    private Task<string?> Schedule(Func<int, OrchestratorAction> action, string name)
    {
        var id = NextId();
        _pendingActions[id] = action(id);
        var completion = new TaskCompletionSource<string?>();
        _openTasks[id] = e =>
        {
            if (e.EventType is HistoryEventType.TaskFailed or HistoryEventType.SubOrchestrationInstanceFailed)
            {
                completion.TrySetException(new TaskFailedException(name, id, e.Failure ?? new TaskFailureDetails("unknown", "The task failed.")));
            }
            else
            {
                completion.TrySetResult(e.Payload);
            }
        };
        return completion.Task;
    }

    public Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        var id = NextId();
        var fireAtUtc = fireAt.Kind == DateTimeKind.Local ? fireAt.ToUniversalTime() : DateTime.SpecifyKind(fireAt, DateTimeKind.Utc);
        _pendingActions[id] = new CreateTimerAction(id, fireAtUtc);
        var completion = new TaskCompletionSource();
        _openTasks[id] = _ => completion.TrySetResult();
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() =>
            {
                // The timer stays in history (replay must match it); its firing is ignored.
                _openTasks.Remove(id);
                completion.TrySetCanceled(cancellationToken);
            });
        }

        return completion.Task;
    }

    public async Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        string? raw;
        if (_bufferedEvents.TryGetValue(eventName, out var queue) && queue.Count > 0)
        {
            raw = queue.Dequeue();
        }
        else
        {
            var waiter = new TaskCompletionSource<string?>();
            if (!_eventWaiters.TryGetValue(eventName, out var waiters))
            {
                _eventWaiters[eventName] = waiters = new LinkedList<TaskCompletionSource<string?>>();
            }

            var node = waiters.AddLast(waiter);
            using var registration = cancellationToken.CanBeCanceled
                ? cancellationToken.Register(() =>
                {
                    if (node.List is not null)
                    {
                        waiters.Remove(node);
                    }

                    waiter.TrySetCanceled(cancellationToken);
                })
                : default;
            raw = await waiter.Task;
        }

        return _converter.Deserialize<T>(raw)!;
    }

    public async Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout)
    {
        using var timerCancellation = new CancellationTokenSource();
        using var eventCancellation = new CancellationTokenSource();
        var received = WaitForExternalEvent<T>(eventName, eventCancellation.Token);
        if (received.IsCompleted)
        {
            return await received;
        }

        var timer = CreateTimer(CurrentUtcDateTime + timeout, timerCancellation.Token);
        if (await Task.WhenAny(received, timer) == received)
        {
            timerCancellation.Cancel(); // not CancelAsync: its callbacks would run off the orchestrator thread
            return await received;
        }

        eventCancellation.Cancel();
        throw new TimeoutException($"Event '{eventName}' was not received within {timeout}.");
    }

    public void SendEvent(string instanceId, string eventName, object? payload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        var id = NextId();
        _pendingActions[id] = new SendEventAction(id, instanceId, eventName, _converter.Serialize(payload));
    }

    public void SetCustomStatus(object? customStatus) => _customStatus = Optional<string?>.Of(_converter.Serialize(customStatus));

    public void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) =>
        _continueAsNew = (newInput, preserveUnprocessedEvents);

    public Guid NewGuid() =>
        DeterministicGuid.Create($"{InstanceId}_{CurrentUtcDateTime.Ticks}_{_guidCounter++}");

    public ILogger CreateReplaySafeLogger(string categoryName) =>
        new ReplaySafeLogger(_loggerFactory.CreateLogger(categoryName), () => IsReplaying);
}
