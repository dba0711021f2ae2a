using BatchOrchestrator.Engine.Orchestration;

namespace BatchOrchestrator.Runtime.Storage;

/// <summary>One row of the instances table.</summary>
internal sealed record InstanceRecord(
    string InstanceId,
    string ExecutionId,
    string Name,
    OrchestrationRuntimeStatus Status,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public string? Input { get; init; }
    public string? Output { get; init; }
    public string? CustomStatus { get; init; }
    public TaskFailureDetails? Failure { get; init; }
    public DateTime? CompletedAt { get; init; }
    public string? ParentInstanceId { get; init; }
    public string? ParentExecutionId { get; init; }
    public int ParentTaskId { get; init; } = -1;
    public int HistoryCount { get; init; }

    public bool IsTerminal => Status is OrchestrationRuntimeStatus.Completed
        or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;
}
