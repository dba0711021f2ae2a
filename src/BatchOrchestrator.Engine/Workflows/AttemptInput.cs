using System.Text.Json;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>Names the compiled workflow an attempt runs: an immutable project revision and a workflow in it.</summary>
public sealed record PlanReference(string Revision, string WorkflowName);

/// <summary>How an attempt reuses the tasks of an earlier attempt of the same session.</summary>
public enum ResumeMode
{
    /// <summary>Run everything.</summary>
    None,

    /// <summary>Reuse every task that succeeded (with the params it stored and exported); run the rest.</summary>
    Failed,

    /// <summary>Reuse every task that succeeded before <see cref="AttemptInput.ResumeFromTask"/> in task order; run it and everything after.</summary>
    From,
}

/// <summary>
/// The input of one attempt's orchestration: everything the interpreter needs, small and
/// serializable. The plan itself is not in it (plans can be large): the orchestrator compiles it
/// from the workflow's files, which the <see cref="Activities.ActivityNames.LoadWorkflow"/> activity
/// reads from the immutable project revision.
/// </summary>
public sealed record AttemptInput
{
    public required string ProjectName { get; init; }

    public required PlanReference Plan { get; init; }

    public required DateTimeOffset SessionTime { get; init; }

    public required string AttemptId { get; init; }

    public string? RetryAttemptName { get; init; }

    public long SessionId { get; init; }

    public Guid SessionUuid { get; init; }

    public long ProjectId { get; init; }

    /// <summary>The attempt's number as Digdag's <c>attempt_id</c> built-in shows it (the durable id is <see cref="AttemptId"/>).</summary>
    public long AttemptNumber { get; init; }

    /// <summary>Params given at start (<c>-p k=v</c>, HTTP), a JSON object; they cannot override <c>_export</c> or built-ins.</summary>
    public JsonElement SessionParams { get; init; }

    /// <summary>For scheduled workflows: the neighbouring session times (built-ins <c>last_session_*</c>, <c>next_session_*</c>).</summary>
    public DateTimeOffset? LastSessionTime { get; init; }

    public DateTimeOffset? NextSessionTime { get; init; }

    public DateTimeOffset? LastExecutedSessionTime { get; init; }

    public ResumeMode Resume { get; init; }

    /// <summary>The attempt whose successful tasks are reused.</summary>
    public string? ResumeFromAttemptId { get; init; }

    /// <summary>With <see cref="ResumeMode.From"/>: the full name of the first task to run again.</summary>
    public string? ResumeFromTask { get; init; }

    /// <summary>Which tasks of the plan to run (<c>bo run +task / --start / --goal</c>); all when null.</summary>
    public TaskSelection? Selection { get; init; }

    /// <summary>The trace the attempt's spans go to (chosen at start); derived from <see cref="AttemptId"/> when null.</summary>
    public Telemetry.AttemptTrace? Trace { get; init; }
}
