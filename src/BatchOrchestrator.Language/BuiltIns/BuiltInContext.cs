namespace BatchOrchestrator.Language.BuiltIns;

/// <summary>
/// What the built-in variables of one task are computed from. The scheduler computes the last/next
/// session instants; the engine supplies ids and names.
/// </summary>
public sealed record BuiltInContext
{
    /// <summary>The session's instant; only the instant matters, its offset is ignored (formats use <see cref="TimeZone"/>).</summary>
    public required DateTimeOffset SessionTime { get; init; }

    /// <summary>The workflow's <c>timezone:</c> (UTC by default), used for every formatted time, DST-aware.</summary>
    public required TimeZoneInfo TimeZone { get; init; }

    /// <summary>Numeric project id (Digdag's type: a number in templates).</summary>
    public required long ProjectId { get; init; }

    /// <summary>Project name ([ours] <c>project_name</c>).</summary>
    public required string ProjectName { get; init; }

    /// <summary>Workflow name ([ours] <c>workflow_name</c>).</summary>
    public required string WorkflowName { get; init; }

    /// <summary>The session's UUID.</summary>
    public required Guid SessionUuid { get; init; }

    /// <summary>Numeric session id.</summary>
    public required long SessionId { get; init; }

    /// <summary>Numeric attempt id.</summary>
    public required long AttemptId { get; init; }

    /// <summary>Full task name, such as <c>+wf+group+task</c>.</summary>
    public required string TaskName { get; init; }

    /// <summary>The attempt's name when it was started with one (retries, backfill); null otherwise.</summary>
    public string? RetryAttemptName { get; init; }

    /// <summary>Previous session time of the schedule; null when the workflow has no schedule.</summary>
    public DateTimeOffset? LastSessionTime { get; init; }

    /// <summary>Next session time of the schedule; null when the workflow has no schedule.</summary>
    public DateTimeOffset? NextSessionTime { get; init; }

    /// <summary>Session time of the last session that actually ran; null on the first run.</summary>
    public DateTimeOffset? LastExecutedSessionTime { get; init; }

    /// <summary>The project's folder, absolute (Digdag's <c>_project_path</c>); not given when unknown.</summary>
    public string? ProjectPath { get; init; }

    /// <summary>
    /// The folder tasks run in, relative to the project's (Digdag's <c>_workdir</c>): empty for the
    /// project's own workflows, <c>sub</c> in a workflow that <c>call&gt;</c> runs from <c>sub/</c>.
    /// </summary>
    public string WorkDirectory { get; init; } = string.Empty;
}
