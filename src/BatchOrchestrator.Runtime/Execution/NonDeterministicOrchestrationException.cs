namespace BatchOrchestrator.Runtime.Execution;

/// <summary>
/// On replay, the orchestrator did something other than what its history records: its code
/// changed while instances were running, or it is not deterministic (time, random, I/O).
/// The instance fails with this error; the message names the history event that differs.
/// </summary>
public sealed class NonDeterministicOrchestrationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NonDeterministicOrchestrationException() { }

    /// <summary>Creates the exception with a message.</summary>
    public NonDeterministicOrchestrationException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public NonDeterministicOrchestrationException(string message, Exception innerException) : base(message, innerException) { }
}
