namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>The status of an orchestration instance; the values are those of Durable Task.</summary>
public enum OrchestrationRuntimeStatus
{
    /// <summary>Started and not yet finished.</summary>
    Running = 0,

    /// <summary>Finished with an output.</summary>
    Completed = 1,

    /// <summary>Restarting with a new input (transient).</summary>
    ContinuedAsNew = 2,

    /// <summary>Finished with a failure.</summary>
    Failed = 3,

    /// <summary>Stopped by a client.</summary>
    Terminated = 5,

    /// <summary>Scheduled, not yet started.</summary>
    Pending = 6,

    /// <summary>Paused by a client; events are kept until it is resumed.</summary>
    Suspended = 7,
}
