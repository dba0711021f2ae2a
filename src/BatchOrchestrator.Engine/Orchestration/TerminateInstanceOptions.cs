namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>How to terminate an instance.</summary>
/// <param name="Output">The output the terminated instance reports.</param>
/// <param name="Recursive">Terminate its running sub-orchestrations too.</param>
public sealed record TerminateInstanceOptions(object? Output = null, bool Recursive = true);
