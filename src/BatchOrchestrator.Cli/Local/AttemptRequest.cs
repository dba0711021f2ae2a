using System.Text.Json;
using BatchOrchestrator.Engine.Workflows;

namespace BatchOrchestrator.Cli.Local;

/// <summary>What starting an attempt takes: a project folder, a workflow in it, a session time, params.</summary>
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

    /// <summary>The project name: the folder's name.</summary>
    public string ProjectName => new DirectoryInfo(ProjectDirectory).Name;
}

/// <summary>An attempt that was started, or found already started for the same session and name.</summary>
public sealed record StartedAttempt(string AttemptId, bool IsNew);
