namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>
/// Starts and manages orchestration instances; mirrors Durable Task's <c>DurableTaskClient</c>.
/// Safe to use from many threads. Every method that changes an instance only enqueues the
/// change durably: it takes effect when the runtime processes it.
/// </summary>
public interface IOrchestrationClient
{
    /// <summary>
    /// Schedules a new instance and returns its id. The instance id in
    /// <paramref name="options"/> is used as given; a new random id otherwise. Never creates a
    /// second instance with an id that exists.
    /// </summary>
    /// <exception cref="OrchestrationAlreadyExistsException">An instance with that id exists (whatever its status).</exception>
    /// <exception cref="DataConversionException">The input cannot be serialized; nothing was scheduled.</exception>
    Task<string> ScheduleNewOrchestrationInstanceAsync(
        string orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default);

    /// <summary>The instance, or null when there is none with that id.</summary>
    Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default);

    /// <summary>Waits until the instance has completed, failed or been terminated, and returns it.</summary>
    /// <exception cref="OrchestrationNotFoundException">There is no instance with that id.</exception>
    Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default);

    /// <summary>Raises an event on a running instance; buffered until the orchestrator waits for it.</summary>
    /// <exception cref="OrchestrationNotFoundException">There is no instance with that id.</exception>
    Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default);

    /// <summary>
    /// Terminates a running instance; its status becomes Terminated with the given output.
    /// With <see cref="TerminateInstanceOptions.Recursive"/>, its running sub-orchestrations
    /// are terminated too. Activities in flight finish, but their results are discarded.
    /// </summary>
    Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default);

    /// <summary>Suspends an instance: it keeps receiving events but processes none until resumed.</summary>
    Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default);

    /// <summary>Resumes a suspended instance.</summary>
    Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default);

    /// <summary>
    /// Deletes a finished instance with its history (and, with <paramref name="recursive"/>, its
    /// sub-orchestrations). Running instances are not purged.
    /// </summary>
    Task<PurgeResult> PurgeInstanceAsync(string instanceId, bool recursive = false, CancellationToken cancellation = default);

    /// <summary>Deletes every finished instance that matches <paramref name="filter"/>.</summary>
    Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, CancellationToken cancellation = default);

    /// <summary>
    /// One page of instances matching <paramref name="query"/>, ordered by instance id; pass the
    /// page's continuation token back for the next page.
    /// </summary>
    Task<OrchestrationQueryPage> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellation = default);

    /// <summary>The instance's history of the current execution, oldest first (empty when unknown).</summary>
    Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellation = default);
}
