namespace BatchOrchestrator.Runtime.Storage;

/// <summary>A scheduled activity call, durable until its result is committed; known by its instance, execution and task id.</summary>
internal sealed record ActivityWorkItem(string InstanceId, string ExecutionId, int TaskId, string Name, string? Input);
