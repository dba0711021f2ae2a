using Microsoft.Extensions.Logging;

namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>
/// What orchestrator code sees of the durable runtime; mirrors Durable Task's
/// <c>TaskOrchestrationContext</c> so that one orchestrator runs on the embedded runtime and on
/// Azure Durable Functions.
/// </summary>
/// <remarks>
/// Orchestrator code is re-executed from its history: it must be deterministic. Use only the
/// members of this context for time, identifiers, waiting and side effects; never
/// <c>DateTime.Now</c>, <c>Guid.NewGuid</c>, random numbers, I/O, <c>Task.Run</c>,
/// <c>Task.Delay</c>, <c>ConfigureAwait(false)</c> or <c>CancellationTokenSource.CancelAsync</c>
/// (use <c>Cancel</c>: the callbacks must run on the orchestrator's thread). A member of this context must only be
/// called from the orchestrator's own thread.
/// </remarks>
public interface IOrchestrationContext
{
    /// <summary>The id of this orchestration instance, stable across replays and restarts.</summary>
    string InstanceId { get; }

    /// <summary>The registered name of the running orchestrator.</summary>
    string Name { get; }

    /// <summary>
    /// The current time, replay-safe: the time at which the current turn of the orchestration
    /// started, read from history during a replay. Never moves backwards.
    /// </summary>
    DateTime CurrentUtcDateTime { get; }

    /// <summary>True while the orchestrator is re-executing events already in its history.</summary>
    bool IsReplaying { get; }

    /// <summary>
    /// Cancelled when the host gives up the work the orchestrator code is doing right now: on the
    /// embedded runtime, when the instance is terminated (killed) while its code runs a turn — nothing
    /// of that turn is kept. Long pure computations (a template's evaluation) poll it and stop. Poll
    /// it only (<see cref="CancellationToken.IsCancellationRequested"/>): never register callbacks on
    /// it or pass it to this context's methods, since it is cancelled from another thread. Hosts
    /// that cannot interrupt a running turn never cancel it.
    /// </summary>
    CancellationToken Interrupted { get; }

    /// <summary>The deserialized input of this execution (default when there is none).</summary>
    T? GetInput<T>();

    /// <summary>
    /// Schedules an activity and returns its result. Activities run at least once: a crash
    /// before the result is committed runs the activity again, so it must be idempotent.
    /// </summary>
    /// <exception cref="TaskFailedException">The activity failed (after the retries in <paramref name="options"/>).</exception>
    Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null);

    /// <summary>
    /// Starts a sub-orchestration and returns its output. With a
    /// <see cref="SubOrchestrationOptions.InstanceId"/> the child has that id; otherwise a
    /// deterministic id derived from this instance.
    /// </summary>
    /// <exception cref="TaskFailedException">The sub-orchestration failed or was terminated.</exception>
    Task<TResult> CallSubOrchestratorAsync<TResult>(string orchestratorName, object? input = null, TaskOptions? options = null);

    /// <summary>
    /// A durable timer: completes at or after <paramref name="fireAt"/> (UTC), also if the
    /// process restarts meanwhile. Cancelling <paramref name="cancellationToken"/> cancels the
    /// wait (the task ends as canceled); an orchestration may complete with timers pending.
    /// </summary>
    Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken);

    /// <summary>
    /// Waits for an event raised on this instance with the given name (case-insensitive).
    /// Events that arrive before anyone waits are buffered, first in, first out.
    /// </summary>
    Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="WaitForExternalEvent{T}(string, CancellationToken)"/>, with a durable timeout.</summary>
    /// <exception cref="TimeoutException">No such event arrived within <paramref name="timeout"/>.</exception>
    Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout);

    /// <summary>Raises an event on another instance; delivered once this turn commits. Fire and forget.</summary>
    void SendEvent(string instanceId, string eventName, object? payload);

    /// <summary>Sets the custom status visible to clients; saved when this turn commits.</summary>
    void SetCustomStatus(object? customStatus);

    /// <summary>
    /// Restarts this instance with a new input and an empty history once the orchestrator
    /// returns. With <paramref name="preserveUnprocessedEvents"/>, events received but not yet
    /// awaited are delivered to the new execution.
    /// </summary>
    void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true);

    /// <summary>A new GUID, the same on every replay (derived from the instance id and history position).</summary>
    Guid NewGuid();

    /// <summary>A logger that writes nothing while <see cref="IsReplaying"/> is true.</summary>
    ILogger CreateReplaySafeLogger(string categoryName);
}
