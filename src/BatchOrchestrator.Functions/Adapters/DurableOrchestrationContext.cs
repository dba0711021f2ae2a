using BatchOrchestrator.Engine.Orchestration;
using Microsoft.Extensions.Logging;
using Durable = Microsoft.DurableTask;

namespace BatchOrchestrator.Functions.Adapters;

/// <summary>
/// Durable Functions' <see cref="Durable.TaskOrchestrationContext"/> seen as the Engine's
/// <see cref="IOrchestrationContext"/>, so <c>WorkflowOrchestrator</c> runs unchanged. Every member
/// forwards; the only translations are of option and exception types, and the two rules the
/// embedded runtime defines for both hosts: a child's default instance id
/// (<see cref="SubOrchestrationIds"/>) and <see cref="TimeoutException"/> for an event wait that
/// timed out.
/// </summary>
internal sealed class DurableOrchestrationContext(Durable.TaskOrchestrationContext inner) : IOrchestrationContext
{
    public string InstanceId => inner.InstanceId;

    public string Name => inner.Name.Name;

    public DateTime CurrentUtcDateTime => inner.CurrentUtcDateTime;

    public bool IsReplaying => inner.IsReplaying;

    // Durable Task applies a termination between episodes and offers no way to interrupt one that
    // runs: a template evaluating when the kill comes stops at its own CPU guard (1 s), then the
    // termination applies.
    public CancellationToken Interrupted => CancellationToken.None;

    public T? GetInput<T>() => inner.GetInput<T>();

    public async Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null)
    {
        try
        {
            return await inner.CallActivityAsync<TResult>(name, input, DurableConversions.ToDurable(options));
        }
        catch (Durable.TaskFailedException failed)
        {
            throw DurableConversions.FromDurable(failed);
        }
    }

    public async Task<TResult> CallSubOrchestratorAsync<TResult>(string orchestratorName, object? input = null, TaskOptions? options = null)
    {
        // The same default as the embedded runtime: the child is listed under its parent's id.
        var childId = (options as SubOrchestrationOptions)?.InstanceId ?? SubOrchestrationIds.Derive(inner.InstanceId, inner.NewGuid());
        try
        {
            return await inner.CallSubOrchestratorAsync<TResult>(orchestratorName, input, DurableConversions.ToDurable(options, childId));
        }
        catch (Durable.TaskFailedException failed)
        {
            throw DurableConversions.FromDurable(failed);
        }
    }

    public Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) => inner.CreateTimer(fireAt, cancellationToken);

    public Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default) =>
        inner.WaitForExternalEvent<T>(eventName, cancellationToken);

    public async Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout)
    {
        try
        {
            return await inner.WaitForExternalEvent<T>(eventName, timeout);
        }
        catch (TaskCanceledException e)
        {
            // Durable cancels the wait when its timer wins; the Engine's contract names the timeout.
            throw new TimeoutException($"No event '{eventName}' arrived within {timeout}.", e);
        }
    }

    public void SendEvent(string instanceId, string eventName, object? payload) => inner.SendEvent(instanceId, eventName, payload!);

    public void SetCustomStatus(object? customStatus) => inner.SetCustomStatus(customStatus);

    public void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) => inner.ContinueAsNew(newInput, preserveUnprocessedEvents);

    public Guid NewGuid() => inner.NewGuid();

    public ILogger CreateReplaySafeLogger(string categoryName) => inner.CreateReplaySafeLogger(categoryName);
}
