namespace BatchOrchestrator.Engine.Executors;

/// <summary>
/// An executor that can stop every command it runs for one attempt at once (the attempt was
/// killed): processes, Jobs. Executors that cannot find an attempt's commands without their
/// states leave their commands to end on their own timeout.
/// </summary>
public interface IAttemptCommandCanceller
{
    /// <summary>Stops the attempt's commands; returns how many were stopped.</summary>
    Task<int> CancelAttemptAsync(string attemptId, CancellationToken cancellationToken);
}
