namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>How to start a new instance.</summary>
/// <param name="InstanceId">The caller-chosen id (random when null).</param>
/// <param name="StartAt">Start no earlier than this time; immediately when null.</param>
public sealed record StartOrchestrationOptions(string? InstanceId = null, DateTimeOffset? StartAt = null);
