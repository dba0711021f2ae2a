namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>The kinds of event in an orchestration's history (Durable Task's event types).</summary>
public enum HistoryEventType
{
    /// <summary>An execution started: <see cref="HistoryEvent.Name"/> and input.</summary>
    ExecutionStarted,

    /// <summary>The execution finished: status in <see cref="HistoryEvent.Name"/>, output or failure.</summary>
    ExecutionCompleted,

    /// <summary>A client terminated the instance.</summary>
    ExecutionTerminated,

    /// <summary>A client suspended the instance.</summary>
    ExecutionSuspended,

    /// <summary>A client resumed the instance.</summary>
    ExecutionResumed,

    /// <summary>A turn of the orchestrator began; its timestamp is the replay-safe current time.</summary>
    OrchestratorStarted,

    /// <summary>An activity was scheduled.</summary>
    TaskScheduled,

    /// <summary>An activity returned.</summary>
    TaskCompleted,

    /// <summary>An activity threw.</summary>
    TaskFailed,

    /// <summary>A sub-orchestration was started.</summary>
    SubOrchestrationInstanceCreated,

    /// <summary>A sub-orchestration completed.</summary>
    SubOrchestrationInstanceCompleted,

    /// <summary>A sub-orchestration failed or was terminated.</summary>
    SubOrchestrationInstanceFailed,

    /// <summary>A durable timer was created.</summary>
    TimerCreated,

    /// <summary>A durable timer fired.</summary>
    TimerFired,

    /// <summary>An external event arrived.</summary>
    EventRaised,

    /// <summary>The orchestrator sent an event to another instance.</summary>
    EventSent,
}
