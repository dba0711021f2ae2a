namespace BatchOrchestrator.Runtime.Dispatch;

/// <summary>
/// Wakes clients waiting on an instance when its state changes in this process, so waiting
/// for completion needs no polling when client and runtime share a process.
/// </summary>
internal sealed class CompletionSignals
{
    private readonly Dictionary<string, TaskCompletionSource> waiters = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>A task that completes at the next change of the instance (register before reading its state).</summary>
    public Task NextChange(string instanceId)
    {
        lock (gate)
        {
            if (!waiters.TryGetValue(instanceId, out var waiter))
            {
                waiters[instanceId] = waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return waiter.Task;
        }
    }

    public void Changed(string instanceId)
    {
        TaskCompletionSource? waiter;
        lock (gate)
        {
            waiters.Remove(instanceId, out waiter);
        }

        waiter?.TrySetResult();
    }
}
