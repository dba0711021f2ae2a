namespace BatchOrchestrator.Runtime.Storage;

/// <summary>A scheduled activity call, durable until its result is committed.</summary>
internal sealed record ActivityWorkItem(long Id, string InstanceId, string ExecutionId, int TaskId, string Name, string? Input);
