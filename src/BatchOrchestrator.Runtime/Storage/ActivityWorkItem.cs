namespace BatchOrchestrator.Runtime.Storage;

/// <summary>A scheduled activity call, durable until its result is committed; known by its instance, execution and task id.</summary>
internal sealed record ActivityWorkItem(string InstanceId, string ExecutionId, int TaskId, string Name, string? Input)
{
    /// <summary>
    /// The input as the orchestrator passed it, when it may be shared (<see cref="Engine.Orchestration.ISharedActivityInput"/>)
    /// and the call was scheduled in this process; never stored: an item read from the database has only <see cref="Input"/>.
    /// </summary>
    public object? Shared { get; init; }
}
