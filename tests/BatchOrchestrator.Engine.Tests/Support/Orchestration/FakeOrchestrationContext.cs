using System.Security.Cryptography;
using System.Text;
using BatchOrchestrator.Engine.Orchestration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BatchOrchestrator.Engine.Tests.Support.Orchestration;

/// <summary>
/// One instance's context in a <see cref="FakeOrchestration"/>: every member is answered from the
/// fake's virtual clock, handlers and inline orchestrators, and logged there. Never replays.
/// </summary>
internal sealed class FakeOrchestrationContext(FakeOrchestration host, string instanceId, string name, string? inputJson) : IOrchestrationContext
{
    private readonly Dictionary<string, Queue<string?>> _buffered = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Queue<TaskCompletionSource<string?>>> _waiters = new(StringComparer.OrdinalIgnoreCase);
    private int _guids;
    private int _children;

    public string InstanceId => instanceId;

    public string Name => name;

    public DateTime CurrentUtcDateTime => host.Now;

    public bool IsReplaying => false;

    public CancellationToken Interrupted => host.Interrupted;

    /// <summary>The last custom status set, as it would be stored.</summary>
    public string? CustomStatusJson { get; private set; }

    public T? GetInput<T>() => host.Converter.Deserialize<T>(inputJson);

    public async Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null)
    {
        var raw = await RetryPolicy.RunAsync(this, options?.Retry, () => host.CallActivity(this, name, input));
        return host.Converter.Deserialize<TResult>(raw)!;
    }

    public async Task<TResult> CallSubOrchestratorAsync<TResult>(string orchestratorName, object? input = null, TaskOptions? options = null)
    {
        var childId = (options as SubOrchestrationOptions)?.InstanceId;
        var raw = await RetryPolicy.RunAsync(this, options?.Retry, () =>
        {
            var id = childId ?? SubOrchestrationIds.Derive(InstanceId, NewGuid());
            return Child(orchestratorName, id, input);
        });
        return host.Converter.Deserialize<TResult>(raw)!;
    }

    /// <summary>A child's failure reaches its parent as the runtimes report it: a <see cref="TaskFailedException"/>.</summary>
    private async Task<string?> Child(string orchestratorName, string id, object? input)
    {
        var number = ++_children;
        try
        {
            return await host.CallSubOrchestrator(this, orchestratorName, id, input);
        }
        catch (Exception error)
        {
            throw new TaskFailedException(orchestratorName, number, TaskFailureDetails.FromException(error));
        }
    }

    public Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) => host.CreateTimer(this, fireAt, cancellationToken);

    public async Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        string? raw;
        if (_buffered.TryGetValue(eventName, out var buffered) && buffered.Count > 0)
        {
            raw = buffered.Dequeue();
        }
        else
        {
            var waiter = new TaskCompletionSource<string?>();
            if (!_waiters.TryGetValue(eventName, out var waiters))
            {
                _waiters[eventName] = waiters = new Queue<TaskCompletionSource<string?>>();
            }

            waiters.Enqueue(waiter);
            await using var registration = cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken));
            raw = await waiter.Task;
        }

        return host.Converter.Deserialize<T>(raw)!;
    }

    public async Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout)
    {
        using var timerCancellation = new CancellationTokenSource();
        using var eventCancellation = new CancellationTokenSource();
        var received = WaitForExternalEvent<T>(eventName, eventCancellation.Token);
        var timer = CreateTimer(CurrentUtcDateTime + timeout, timerCancellation.Token);
        if (await Task.WhenAny(received, timer) == received)
        {
            timerCancellation.Cancel();
            return await received;
        }

        eventCancellation.Cancel();
        throw new TimeoutException($"Event '{eventName}' was not received within {timeout}.");
    }

    public void SendEvent(string instanceId, string eventName, object? payload) =>
        host.SendEvent(instanceId, eventName, host.Converter.Serialize(payload));

    public void SetCustomStatus(object? customStatus) => CustomStatusJson = host.Converter.Serialize(customStatus);

    public void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) =>
        throw new NotSupportedException("the fake orchestration does not restart instances; the workflow orchestrator never does");

    /// <summary>Deterministic: the same instance id and call order give the same GUIDs.</summary>
    public Guid NewGuid() =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{InstanceId}/{_guids++}")).AsSpan(0, 16));

    public ILogger CreateReplaySafeLogger(string categoryName) => NullLogger.Instance;

    /// <summary>An event raised on this instance: to its first waiter, or buffered.</summary>
    internal void Deliver(string eventName, string? json)
    {
        while (_waiters.TryGetValue(eventName, out var waiters) && waiters.TryDequeue(out var waiter))
        {
            if (waiter.TrySetResult(json))
            {
                return;
            }
        }

        if (!_buffered.TryGetValue(eventName, out var buffered))
        {
            _buffered[eventName] = buffered = new Queue<string?>();
        }

        buffered.Enqueue(json);
    }
}
