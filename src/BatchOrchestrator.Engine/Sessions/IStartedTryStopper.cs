namespace BatchOrchestrator.Engine.Sessions;

/// <summary>
/// Stops what the tries of a killed attempt started outside the orchestrator, through the SPI:
/// commands through their executors (<see cref="Executors.ICommandExecutor.CancelAsync"/>, or the
/// executor's per-attempt cancel where a command's state is unknown), activity operators through
/// <see cref="Operators.IOperator.CleanupAsync"/>. Reads what to stop from the run store
/// (<see cref="Stores.StartedTry"/>), so it works from any host. Safe to repeat.
/// </summary>
public interface IStartedTryStopper
{
    /// <summary>Stops the attempt's running tries; returns, by task name, the tries that could not be stopped and why.</summary>
    Task<IReadOnlyDictionary<string, string>> StopStartedTriesAsync(string attemptId, CancellationToken cancellationToken);
}
