namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>An instance with the requested id exists already; no second one was created.</summary>
public sealed class OrchestrationAlreadyExistsException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="instanceId"/>, which has <paramref name="status"/>.</summary>
    public OrchestrationAlreadyExistsException(string instanceId, OrchestrationRuntimeStatus status)
        : base($"An orchestration instance with id '{instanceId}' already exists (status {status}).")
    {
        InstanceId = instanceId;
        Status = status;
    }

    /// <summary>Not meant to be used; exists for the standard exception constructors.</summary>
    public OrchestrationAlreadyExistsException() : this("unknown", OrchestrationRuntimeStatus.Running) { }

    /// <summary>Not meant to be used; exists for the standard exception constructors.</summary>
    public OrchestrationAlreadyExistsException(string message) : base(message) => InstanceId = "unknown";

    /// <summary>Not meant to be used; exists for the standard exception constructors.</summary>
    public OrchestrationAlreadyExistsException(string message, Exception innerException) : base(message, innerException) => InstanceId = "unknown";

    /// <summary>The id that exists.</summary>
    public string InstanceId { get; }

    /// <summary>The status of the existing instance.</summary>
    public OrchestrationRuntimeStatus Status { get; }
}
