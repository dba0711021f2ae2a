using System.Text.Json;
using BatchOrchestrator.Engine.Workflows;

namespace BatchOrchestrator.Engine.Sessions;

/// <summary>What starting an attempt takes: a project (its folder, or a stored revision), a workflow in it, a session time, params.</summary>
public sealed record AttemptRequest
{
    public required string ProjectDirectory { get; init; }

    public required string WorkflowName { get; init; }

    public required DateTimeOffset SessionTime { get; init; }

    public JsonElement SessionParams { get; init; } = JsonDocument.Parse("{}").RootElement.Clone();

    public string? RetryAttemptName { get; init; }

    public ResumeMode Resume { get; init; }

    public string? ResumeFromAttemptId { get; init; }

    public string? ResumeFromTask { get; init; }

    /// <summary>Which tasks to run (<c>+task</c>, <c>--start</c>, <c>--goal</c>); all when null.</summary>
    public TaskSelection? Selection { get; init; }

    /// <summary>For scheduled workflows: the session times around this one (built-ins <c>last_session_*</c>, <c>next_session_*</c>).</summary>
    public DateTimeOffset? LastSessionTime { get; init; }

    public DateTimeOffset? NextSessionTime { get; init; }

    /// <summary>
    /// A stored project revision to run (a project pushed to a server, or the one an attempt being
    /// retried ran); when null, the project folder's files are snapshotted as a new revision.
    /// </summary>
    public string? Revision { get; init; }

    /// <summary>The project name: the folder's name unless given.</summary>
    public string ProjectName
    {
        get => _projectName ?? new DirectoryInfo(ProjectDirectory).Name;
        init => _projectName = value;
    }

    private readonly string? _projectName;
}

/// <summary>An attempt that was started, or found already started for the same session and name.</summary>
public sealed record StartedAttempt(string AttemptId, bool IsNew);
