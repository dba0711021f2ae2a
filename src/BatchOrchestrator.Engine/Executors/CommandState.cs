using System.Text.Json;

namespace BatchOrchestrator.Engine.Executors;

/// <summary>
/// What an executor needs to find a launched command again, in any process, after any restart:
/// small and serializable (it is stored in orchestration history).
/// </summary>
public sealed record CommandState(string Executor, JsonElement Data);

/// <summary>Where a launched command is.</summary>
public enum CommandPhase
{
    /// <summary>Accepted, not yet running (a Pending pod, a container group being created).</summary>
    Pending,
    Running,
    Succeeded,
    Failed,

    /// <summary>
    /// The executor no longer knows the command: the host that started it stopped (a crash,
    /// Ctrl-C) and its outcome is gone. Not the task's fault: the engine launches the try again.
    /// </summary>
    Lost,
}

/// <summary>
/// The answer of a poll. <see cref="PollAfter"/> tells the orchestrator how long to wait on a
/// durable timer before polling again (zero for executors whose poll already waits).
/// </summary>
public sealed record CommandStatus : Orchestration.ISharedActivityResult
{
    public required CommandPhase Phase { get; init; }

    public required CommandState State { get; init; }

    public int? ExitCode { get; init; }

    /// <summary>Why it failed, with the last lines of output or the pod's events.</summary>
    public string? FailureMessage { get; init; }

    /// <summary>
    /// What the command wrote to the file named by <c>$BO_OUTPUT</c>, when finished (null if
    /// nothing); the operator that built the command interprets it.
    /// </summary>
    public string? OutputText { get; init; }

    public TimeSpan PollAfter { get; init; }

    /// <summary>
    /// For a command that failed before it ever ran (its pod or container group stayed pending):
    /// why, as a short fixed word (<c>image_pull</c>, <c>unschedulable</c>, <c>pending_timeout</c>) —
    /// a metric attribute, never a message.
    /// </summary>
    public string? StuckReason { get; init; }

    /// <summary>
    /// Set by the engine's activities when they saw the command finish and already copied its
    /// last output and cleaned up, so no separate finishing call is needed.
    /// </summary>
    public bool Collected { get; init; }

    /// <summary>
    /// Set by a launch that found the same try started before by a host that stopped (a crash)
    /// before its launch was recorded: what was left of it was stopped and the try runs again from
    /// its start, which the records count as one more try.
    /// </summary>
    public bool Restarted { get; init; }

    /// <summary>
    /// Set by the engine's launch activity: how many earlier deliveries of this same launch ran on
    /// hosts that stopped before its result was saved (0 normally). Each may have run the command
    /// to its end and cleaned it up, leaving nothing for <see cref="Restarted"/> to find, so the
    /// records count each as one more try.
    /// </summary>
    public int Redeliveries { get; init; }

    /// <summary>
    /// Set by the launch activity, which started nothing: the launch named its shared environment
    /// by key only (<see cref="Workflows.Activities.SharedEnvironment"/>) and this host does not
    /// know it (it restarted, or another host ran the earlier launches). The orchestrator launches
    /// again with the variables in full.
    /// </summary>
    public bool SharedEnvironmentUnknown { get; init; }

    public bool IsFinished => Phase is CommandPhase.Succeeded or CommandPhase.Failed;
}
