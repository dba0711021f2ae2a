using BatchOrchestrator.Engine.Orchestration;

namespace BatchOrchestrator.Runtime.Storage;

/// <summary>
/// Everything one turn of an orchestration changes, written in one transaction: consumed
/// messages (and the activity result the turn was run with, if any), appended history, the
/// instance's new state, and the activities, timers, messages and child instances it produced.
/// </summary>
internal sealed record TurnCommit(InstanceRecord Before, InstanceRecord After)
{
    public IReadOnlyList<long> ConsumedMessageIds { get; init; } = [];

    /// <summary>
    /// The work item of an activity whose result this turn consumed straight from the worker, never
    /// queued as a message: the work item leaves the database in the same transaction as the result's
    /// history event, so the result is recorded exactly once, or (after a crash) the activity runs again.
    /// </summary>
    public ActivityWorkItem? CompletedWorkItem { get; init; }
    public IReadOnlyList<HistoryEvent> AppendedHistory { get; init; } = [];
    public IReadOnlyList<(int TaskId, string Name, string? Input, object? Shared)> NewActivities { get; init; } = [];
    public IReadOnlyList<OutgoingMessage> NewMessages { get; init; } = [];

    /// <summary>Children to create; an id that exists fails that call instead of reusing the instance.</summary>
    public IReadOnlyList<ChildStart> NewChildren { get; init; } = [];

    /// <summary>ContinueAsNew: history is replaced by nothing; the new execution starts from a message.</summary>
    public bool ResetHistory { get; init; }

    /// <summary>Terminate running children (recursive terminate) with this reason.</summary>
    public string? TerminateChildrenReason { get; init; }
}
