namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>Options for scheduling an activity or a sub-orchestration.</summary>
/// <param name="Retry">Retries on failure, durably timed; none when null.</param>
public record TaskOptions(RetryPolicy? Retry = null);

/// <summary>Options for a sub-orchestration: its instance id, and retries.</summary>
/// <param name="InstanceId">The child's instance id; derived deterministically from the parent when null.</param>
/// <param name="Retry">Retries on failure, durably timed; none when null.</param>
public sealed record SubOrchestrationOptions(string? InstanceId = null, RetryPolicy? Retry = null) : TaskOptions(Retry);
