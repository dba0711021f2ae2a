namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>
/// One event in an orchestration's history. Fields that do not apply to an event type are
/// null (or -1 for ids).
/// </summary>
/// <param name="EventType">What happened.</param>
/// <param name="Timestamp">When it was recorded (UTC).</param>
public sealed record HistoryEvent(HistoryEventType EventType, DateTime Timestamp)
{
    /// <summary>The id of the task this event schedules (scheduling events), -1 otherwise.</summary>
    public int EventId { get; init; } = -1;

    /// <summary>The id of the task this event completes (completion events), -1 otherwise.</summary>
    public int TaskScheduledId { get; init; } = -1;

    /// <summary>Activity, orchestrator or event name; the final status for ExecutionCompleted.</summary>
    public string? Name { get; init; }

    /// <summary>The child instance, the target of a sent event, or the parent for ExecutionStarted.</summary>
    public string? InstanceId { get; init; }

    /// <summary>The serialized input, result, event payload or reason.</summary>
    public string? Payload { get; init; }

    /// <summary>The failure, for failure events.</summary>
    public TaskFailureDetails? Failure { get; init; }

    /// <summary>When a timer fires.</summary>
    public DateTime? FireAt { get; init; }
}
