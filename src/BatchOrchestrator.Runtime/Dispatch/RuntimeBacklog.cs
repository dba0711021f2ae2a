namespace BatchOrchestrator.Runtime.Dispatch;

/// <summary>The work a runtime has waiting at one moment.</summary>
/// <param name="Orchestrations">Instances with new events, waiting for a dispatcher.</param>
/// <param name="Activities">Activities waiting for a worker.</param>
/// <param name="Timers">Durable timers not yet due.</param>
public sealed record RuntimeBacklog(int Orchestrations, int Activities, int Timers);
