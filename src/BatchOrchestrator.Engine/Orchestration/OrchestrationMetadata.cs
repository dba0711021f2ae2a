namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>
/// A snapshot of one orchestration instance. The serialized fields are null unless inputs and
/// outputs were asked for.
/// </summary>
public sealed record OrchestrationMetadata(string Name, string InstanceId)
{
    /// <summary>The status when the snapshot was taken.</summary>
    public OrchestrationRuntimeStatus RuntimeStatus { get; init; }

    /// <summary>When the instance was scheduled.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the instance last changed.</summary>
    public DateTimeOffset LastUpdatedAt { get; init; }

    /// <summary>The serialized input of the current execution.</summary>
    public string? SerializedInput { get; init; }

    /// <summary>The serialized output (or termination reason).</summary>
    public string? SerializedOutput { get; init; }

    /// <summary>The serialized custom status.</summary>
    public string? SerializedCustomStatus { get; init; }

    /// <summary>Why the instance failed, when it did.</summary>
    public TaskFailureDetails? FailureDetails { get; init; }

    /// <summary>The parent orchestration, for a sub-orchestration.</summary>
    public string? ParentInstanceId { get; init; }

    /// <summary>The converter that reads the serialized fields.</summary>
    public DataConverter DataConverter { get; init; } = JsonDataConverter.Default;

    /// <summary>True while the instance is pending, running or suspended.</summary>
    public bool IsRunning => RuntimeStatus is OrchestrationRuntimeStatus.Running
        or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended
        or OrchestrationRuntimeStatus.ContinuedAsNew;

    /// <summary>True once the instance completed, failed or was terminated.</summary>
    public bool IsCompleted => RuntimeStatus is OrchestrationRuntimeStatus.Completed
        or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;

    /// <summary>The input, deserialized.</summary>
    public T? ReadInputAs<T>() => DataConverter.Deserialize<T>(SerializedInput);

    /// <summary>The output, deserialized.</summary>
    public T? ReadOutputAs<T>() => DataConverter.Deserialize<T>(SerializedOutput);

    /// <summary>The custom status, deserialized.</summary>
    public T? ReadCustomStatusAs<T>() => DataConverter.Deserialize<T>(SerializedCustomStatus);
}
