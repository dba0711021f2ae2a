using System.Collections.Concurrent;

namespace BatchOrchestrator.Runtime.Execution;

/// <summary>
/// Runs one orchestration's continuations only when the runtime pumps them, on the pumping
/// thread: orchestrator code therefore advances only in response to history events, one event
/// at a time, which is what makes replay deterministic.
/// </summary>
internal sealed class OrchestrationTaskScheduler : TaskScheduler
{
    // Concurrent only as a guard: a continuation from a forbidden await (Task.Delay, I/O) may
    // arrive from another thread; it still runs only when pumped.
    private readonly ConcurrentQueue<Task> _queue = new();

    public Task<T> Start<T>(Func<Task<T>> body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this).Unwrap();

    /// <summary>Runs queued continuations until none is left.</summary>
    public void Pump()
    {
        while (_queue.TryDequeue(out var task))
        {
            TryExecuteTask(task);
        }
    }

    protected override void QueueTask(Task task) => _queue.Enqueue(task);

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();
}
