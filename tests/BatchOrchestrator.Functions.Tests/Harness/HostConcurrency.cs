using System.Text.Json;
using DurableTask.Core;

namespace BatchOrchestrator.Functions.Tests.Harness;

/// <summary>
/// How many orchestrator and activity work items the Functions app runs at once: host.json's
/// <c>extensions.durableTask.maxConcurrentOrchestratorFunctions</c> and
/// <c>maxConcurrentActivityFunctions</c>, read from the copy the app ships (the repository root's).
/// </summary>
internal sealed record HostConcurrency(int Orchestrations, int Activities)
{
    public static HostConcurrency FromHostJson(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var durable = document.RootElement.GetProperty("extensions").GetProperty("durableTask");
        return new HostConcurrency(
            durable.GetProperty("maxConcurrentOrchestratorFunctions").GetInt32(),
            durable.GetProperty("maxConcurrentActivityFunctions").GetInt32());
    }

    /// <summary>The app's host.json, as built next to the tests.</summary>
    public static HostConcurrency OfApp() => FromHostJson(Path.Combine(AppContext.BaseDirectory, "host.json"));
}

/// <summary>
/// The test host's in-memory backend as its sidecar's dispatchers see it, running at most the
/// app's number of work items at once, and taking the next one as soon as one ends.
/// <para>
/// Without it the sidecar runs <c>Environment.ProcessorCount</c> work items at once (its
/// <c>InMemoryOrchestrationService</c> says so, and nothing configures it; the worker's
/// <c>DurableTaskWorkerOptions.Concurrency</c> is only passed to the backend, which ignores it),
/// and a dispatcher that reaches its maximum polls every 500 ms for a free slot
/// (<c>WorkItemDispatcher.WaitForAllClear</c> in Microsoft.DurableTask.InProcessTestHost 0.2.3).
/// On 2 cores, 169 of the repro workflow's dispatches waited out such a poll (83 s of its 160 s session,
/// ~95% of which passed with no work item starting or ending). Durable Task Core's
/// dispatcher, which the Functions host runs, waits on a semaphore instead: a slot freed is taken
/// at once. So the limit is enforced here, the same way, and the sidecar is told there is none.
/// </para>
/// Everything else goes to the in-memory service unchanged.
/// </summary>
internal sealed class ConcurrencyGatedOrchestrationService(IOrchestrationService inner, HostConcurrency limits) : IOrchestrationService
{
    // Never disposed: the sidecar's dispatch loops outlive its host's disposal (it stops them
    // without waiting), and a semaphore whose wait handle is never asked for holds nothing to free.
    private readonly SemaphoreSlim _orchestrations = new(limits.Orchestrations, limits.Orchestrations);
    private readonly SemaphoreSlim _activities = new(limits.Activities, limits.Activities);

    // An activity's slot is given back once, however the sidecar ends it (it abandons one whose completion threw).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TaskActivityWorkItem, byte> _runningActivities = new(ReferenceEqualityComparer.Instance);

    // The gates below hold the sidecar's fetch loops; its own count never reaches these.
    public int MaxConcurrentTaskOrchestrationWorkItems => int.MaxValue;

    public int MaxConcurrentTaskActivityWorkItems => int.MaxValue;

    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        await _orchestrations.WaitAsync(cancellationToken);
        try
        {
            return await inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
        }
        catch
        {
            _orchestrations.Release();
            throw;
        }
    }

    /// <summary>The sidecar releases every orchestration work item it locked, whether it completed or abandoned it.</summary>
    public async Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        try
        {
            await inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);
        }
        finally
        {
            _orchestrations.Release();
        }
    }

    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        await _activities.WaitAsync(cancellationToken);
        try
        {
            var workItem = await inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
            _runningActivities[workItem] = 0;
            return workItem;
        }
        catch
        {
            _activities.Release();
            throw;
        }
    }

    /// <summary>An activity work item ends completed or abandoned (the sidecar's release of one does not reach the service).</summary>
    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        try
        {
            await inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
        }
        finally
        {
            EndActivity(workItem);
        }
    }

    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        try
        {
            await inner.AbandonTaskActivityWorkItemAsync(workItem);
        }
        finally
        {
            EndActivity(workItem);
        }
    }

    private void EndActivity(TaskActivityWorkItem workItem)
    {
        if (_runningActivities.TryRemove(workItem, out _))
        {
            _activities.Release();
        }
    }

    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    public Task StartAsync() => inner.StartAsync();

    public Task StopAsync() => inner.StopAsync();

    public Task StopAsync(bool isForced) => inner.StopAsync(isForced);

    public Task CreateAsync() => inner.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    public Task DeleteAsync() => inner.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState) =>
        inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);
}
