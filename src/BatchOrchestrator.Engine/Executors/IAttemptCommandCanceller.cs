using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Executors;

/// <summary>
/// An executor that can stop every command it runs for one attempt at once, without their states
/// (processes, Jobs): the kill's fallback for a command whose launch never wrote its state (the
/// launch stopped half-way). Executors that cannot find an attempt's commands without their
/// states leave those to end on their own timeout.
/// </summary>
public interface IAttemptCommandCanceller
{
    /// <summary>
    /// Stops the attempt's commands; returns how many were stopped. <paramref name="tries"/> are
    /// the tries the engine knows it gave this executor, with their <c>container:</c> settings and,
    /// where known, their states: where to look (every namespace they used, say), not a limit on
    /// what is stopped. Safe to repeat.
    /// </summary>
    Task<int> CancelAttemptAsync(string attemptId, IReadOnlyCollection<StartedTry> tries, CancellationToken cancellationToken);
}
