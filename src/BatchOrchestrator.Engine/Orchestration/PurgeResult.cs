namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>How many instances a purge deleted.</summary>
public sealed record PurgeResult(int PurgedInstanceCount);
