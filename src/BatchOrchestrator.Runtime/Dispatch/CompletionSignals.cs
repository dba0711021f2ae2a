namespace BatchOrchestrator.Runtime.Dispatch;

/// <summary>
/// Wakes clients waiting on an instance when its state changes in this process, so waiting
/// for completion needs no polling when client and runtime share a process.
/// </summary>
internal sealed class CompletionSignals
{
    private readonly Dictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>A task that completes at the next change of the instance (register before reading its state).</summary>
    public Task NextChange(string instanceId)
    {
        lock (_gate)
        {
            if (!_waiters.TryGetValue(instanceId, out var waiter))
            {
                _waiters[instanceId] = waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return waiter.Task;
        }
    }

    public void Changed(string instanceId)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _waiters.Remove(instanceId, out waiter);
        }

        waiter?.TrySetResult();
    }
}
