using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Dispatch;
using BatchOrchestrator.Runtime.Storage;

namespace BatchOrchestrator.Runtime.Client;

/// <summary>
/// <see cref="IOrchestrationClient"/> on the runtime's database. Each change is one
/// transaction that enqueues a message; the runtime applies it in order with the instance's
/// other events.
/// </summary>
internal sealed class SqliteOrchestrationClient(
    SqliteStore store,
    DataConverter converter,
    TimeProvider time,
    Action<string> markReady,
    Action<string, DateTime> wakeAt,
    CompletionSignals signals,
    Action<string> terminating) : IOrchestrationClient
{
    // A fallback for changes made by another process, which cannot signal this one.
    private static readonly TimeSpan PollFallback = TimeSpan.FromMilliseconds(500);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<string> ScheduleNewOrchestrationInstanceAsync(
        string orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName);
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId, nameof(options));
        var serialized = converter.Serialize(input);
        var now = Now;
        var startAt = options?.StartAt?.UtcDateTime is { } at && at > now ? at : now;
        var record = new InstanceRecord(instanceId, Guid.NewGuid().ToString("N"), orchestratorName, OrchestrationRuntimeStatus.Pending, now, now) { Input = serialized };
        var started = new HistoryEvent(HistoryEventType.ExecutionStarted, now) { Name = orchestratorName, Payload = serialized };
        await store.CreateInstanceAsync(record, started, startAt, cancellation);
        Wake(instanceId, startAt);
        return instanceId;
    }

    public async Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        var record = await store.GetInstanceAsync(instanceId, cancellation);
        return record is null ? null : SqliteStore.ToMetadata(record, getInputsAndOutputs, converter);
    }

    public async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        while (true)
        {
            var changed = signals.NextChange(instanceId);
            var instance = await GetInstanceAsync(instanceId, getInputsAndOutputs, cancellation)
                ?? throw new OrchestrationNotFoundException(instanceId);
            if (instance.IsCompleted)
            {
                return instance;
            }

            await Task.WhenAny(changed, Task.Delay(PollFallback, time, cancellation));
            cancellation.ThrowIfCancellationRequested();
        }
    }

    public Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        var payload = converter.Serialize(eventPayload);
        return SendAsync(instanceId, new HistoryEvent(HistoryEventType.EventRaised, Now) { Name = eventName, Payload = payload }, cancellation);
    }

    public async Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        var output = converter.Serialize(options?.Output);
        var recursive = options?.Recursive ?? true;
        await SendAsync(instanceId, new HistoryEvent(HistoryEventType.ExecutionTerminated, Now) { Payload = output, Name = recursive ? TerminateFlags.Recursive : null }, cancellation);

        // Durable now: a turn of the instance running meanwhile is given up (a kill stops a template evaluating in it).
        terminating(instanceId);
    }

    public Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new HistoryEvent(HistoryEventType.ExecutionSuspended, Now) { Payload = reason }, cancellation);

    public Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new HistoryEvent(HistoryEventType.ExecutionResumed, Now) { Payload = reason }, cancellation);

    private async Task SendAsync(string instanceId, HistoryEvent e, CancellationToken cancellation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var now = Now;
        if (!await store.EnqueueAsync(new OutgoingMessage(instanceId, null, now, e), cancellation))
        {
            throw new OrchestrationNotFoundException(instanceId);
        }

        markReady(instanceId);
    }

    public async Task<PurgeResult> PurgeInstanceAsync(string instanceId, bool recursive = false, CancellationToken cancellation = default) =>
        new(await store.PurgeAsync(instanceId, recursive, cancellation));

    public async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new(await store.PurgeAllAsync(filter, cancellation));
    }

    public Task<OrchestrationQueryPage> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return store.QueryAsync(query, converter, cancellation);
    }

    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellation = default) =>
        store.GetHistoryAsync(instanceId, cancellation);

    private void Wake(string instanceId, DateTime visibleAt)
    {
        if (visibleAt <= Now)
        {
            markReady(instanceId);
        }
        else
        {
            wakeAt(instanceId, visibleAt);
        }
    }
}
