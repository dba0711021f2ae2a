namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>No instance has the given id.</summary>
public sealed class OrchestrationNotFoundException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="instanceId"/>.</summary>
    public OrchestrationNotFoundException(string instanceId)
        : base($"No orchestration instance with id '{instanceId}' exists.") => InstanceId = instanceId;

    /// <summary>Not meant to be used; exists for the standard exception constructors.</summary>
    public OrchestrationNotFoundException() : this("unknown") { }

    /// <summary>Not meant to be used; exists for the standard exception constructors.</summary>
    public OrchestrationNotFoundException(string message, Exception innerException) : base(message, innerException) => InstanceId = "unknown";

    /// <summary>The id that was asked for.</summary>
    public string InstanceId { get; }
}
