using BatchOrchestrator.Engine.Orchestration;

namespace BatchOrchestrator.Runtime.Execution;

/// <summary>
/// Something orchestrator code asked for in a turn. New actions become history events and
/// side effects when the turn commits; on replay, each is matched against the history event
/// with its id.
/// </summary>
internal abstract record OrchestratorAction(int Id)
{
    public abstract HistoryEvent ToEvent(DateTime timestamp);

    public abstract string Describe();

    /// <summary>Whether a history event records this very action.</summary>
    public bool Matches(HistoryEvent e)
    {
        var mine = ToEvent(e.Timestamp);
        return mine.EventType == e.EventType && string.Equals(mine.Name, e.Name, StringComparison.Ordinal);
    }
}

internal sealed record ScheduleTaskAction(int Id, string Name, string? Input) : OrchestratorAction(Id)
{
    /// <summary>The input itself, when the activity may be handed it in this process (<see cref="ISharedActivityInput"/>).</summary>
    public ISharedActivityInput? Shared { get; init; }

    public override HistoryEvent ToEvent(DateTime timestamp) =>
        new(HistoryEventType.TaskScheduled, timestamp) { EventId = Id, Name = Name, Payload = Input };

    public override string Describe() => $"activity '{Name}' (#{Id})";
}

internal sealed record CreateTimerAction(int Id, DateTime FireAt) : OrchestratorAction(Id)
{
    public override HistoryEvent ToEvent(DateTime timestamp) =>
        new(HistoryEventType.TimerCreated, timestamp) { EventId = Id, FireAt = FireAt };

    public override string Describe() => $"a timer (#{Id})";
}

internal sealed record CreateSubOrchestrationAction(int Id, string Name, string InstanceId, string? Input) : OrchestratorAction(Id)
{
    public override HistoryEvent ToEvent(DateTime timestamp) =>
        new(HistoryEventType.SubOrchestrationInstanceCreated, timestamp) { EventId = Id, Name = Name, InstanceId = InstanceId, Payload = Input };

    public override string Describe() => $"sub-orchestration '{Name}' (#{Id})";
}

internal sealed record SendEventAction(int Id, string InstanceId, string Name, string? Payload) : OrchestratorAction(Id)
{
    public override HistoryEvent ToEvent(DateTime timestamp) =>
        new(HistoryEventType.EventSent, timestamp) { EventId = Id, Name = Name, InstanceId = InstanceId, Payload = Payload };

    public override string Describe() => $"event '{Name}' sent to '{InstanceId}' (#{Id})";
}
