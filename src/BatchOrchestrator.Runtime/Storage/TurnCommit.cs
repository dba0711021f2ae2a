using BatchOrchestrator.Engine.Orchestration;

namespace BatchOrchestrator.Runtime.Storage;

/// <summary>
/// Everything one turn of an orchestration changes, written in one transaction: consumed
/// messages, appended history, the instance's new state, and the activities, timers, messages
/// and child instances it produced.
/// </summary>
internal sealed record TurnCommit(InstanceRecord Before, InstanceRecord After)
{
    public IReadOnlyList<long> ConsumedMessageIds { get; init; } = [];
    public IReadOnlyList<HistoryEvent> AppendedHistory { get; init; } = [];
    public IReadOnlyList<(int TaskId, string Name, string? Input)> NewActivities { get; init; } = [];
    public IReadOnlyList<OutgoingMessage> NewMessages { get; init; } = [];

    /// <summary>Children to create; an id that exists fails that call instead of reusing the instance.</summary>
    public IReadOnlyList<ChildStart> NewChildren { get; init; } = [];

    /// <summary>ContinueAsNew: history is replaced by nothing; the new execution starts from a message.</summary>
    public bool ResetHistory { get; init; }

    /// <summary>Terminate running children (recursive terminate) with this reason.</summary>
    public string? TerminateChildrenReason { get; init; }
}
