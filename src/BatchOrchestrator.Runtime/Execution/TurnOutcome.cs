using BatchOrchestrator.Engine.Orchestration;

namespace BatchOrchestrator.Runtime.Execution;

/// <summary>What a turn of orchestrator code produced.</summary>
/// <param name="Actions">New actions, in id order.</param>
/// <param name="Completion">Set when the orchestration finished in this turn.</param>
/// <param name="CustomStatus">The custom status, when it was set in this turn.</param>
internal sealed record TurnOutcome(IReadOnlyList<OrchestratorAction> Actions, OrchestrationCompletion? Completion, Optional<string?> CustomStatus);

/// <summary>How an execution ended: completed, failed, or continued as new.</summary>
internal sealed record OrchestrationCompletion(OrchestrationRuntimeStatus Status, string? Output, TaskFailureDetails? Failure)
{
    /// <summary>For ContinuedAsNew: the new input and the events carried over.</summary>
    public (string? Input, IReadOnlyList<HistoryEvent> CarriedEvents)? Next { get; init; }
}

/// <summary>A value that may be absent, distinct from a present null.</summary>
internal readonly record struct Optional<T>(bool HasValue, T Value)
{
    public static Optional<T> None => default;

    public static Optional<T> Of(T value) => new(true, value);
}
