using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;

namespace BatchOrchestrator.Api;

/// <summary>A project and its current revision: <c>GET /api/projects</c>.</summary>
public sealed record ProjectView(string Name, string Revision, IReadOnlyList<string> Workflows)
{
    public static ProjectView Of(ProjectRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        return new(revision.Project, revision.Id, WorkflowNames(revision));
    }

    /// <summary>The workflows of a revision: its top-level <c>.dig</c> files (deeper ones are <c>!include</c>d parts).</summary>
    public static IReadOnlyList<string> WorkflowNames(ProjectRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        return [.. revision.Files.Keys.Where(k => !k.Contains('/', StringComparison.Ordinal) && k.EndsWith(".dig", StringComparison.Ordinal)).Select(k => k[..^4]).Order(StringComparer.Ordinal)];
    }
}

/// <summary>A file of a project's current revision: <c>GET /api/projects/{project}/files</c>.</summary>
public sealed record ProjectFileView(string Path, long Size);

/// <summary>A revision in a project's history.</summary>
public sealed record RevisionView(string Revision, DateTimeOffset CreatedAt, string Source);

/// <summary>A workflow of a project: <c>GET /api/projects/{project}/workflows</c>.</summary>
public sealed record WorkflowView(string Project, string Name, string Revision, string TimeZone, string? Schedule, string? Error);

/// <summary>A workflow with its task tree, for the UI's graph.</summary>
public sealed record WorkflowDetailView(string Project, string Name, string Revision, string TimeZone, string? Schedule, IReadOnlyList<PlannedTaskView> Tasks);

/// <summary>
/// One task of a workflow's plan: its full name, operator (null for a group), parent, whether its
/// children run in parallel, and its upstream siblings (the edges of the graph).
/// </summary>
public sealed record PlannedTaskView(string Name, string? Operator, string? Parent, bool Parallel, string Role, IReadOnlyList<string> Upstreams);

/// <summary>A session: <c>GET /api/sessions</c>.</summary>
public sealed record SessionView(string Id, string Project, string Workflow, DateTimeOffset SessionTime, AttemptView? LatestAttempt)
{
    public static SessionView Of(SessionRecord session, AttemptRecord? latest)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new(session.SessionId, session.Project, session.Workflow, session.SessionTime, latest is null ? null : AttemptView.Of(latest));
    }

    public SessionRecord ToRecord() => new(Id, Project, Workflow, SessionTime);
}

/// <summary>An attempt: every field of its record, so a client can show it as the CLI does locally.</summary>
public sealed record AttemptView
{
    public required string Id { get; init; }

    public required string SessionId { get; init; }

    public required string Project { get; init; }

    public required string Workflow { get; init; }

    public required DateTimeOffset SessionTime { get; init; }

    public string? RetryAttemptName { get; init; }

    public int Index { get; init; }

    public AttemptStatus Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public JsonElement? Params { get; init; }

    public string? ResumedFrom { get; init; }

    public static AttemptView Of(AttemptRecord attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return new()
        {
            Id = attempt.AttemptId,
            SessionId = attempt.SessionId,
            Project = attempt.Session.Project,
            Workflow = attempt.Session.Workflow,
            SessionTime = attempt.Session.SessionTime,
            RetryAttemptName = attempt.RetryAttemptName,
            Index = attempt.Index,
            Status = attempt.Status,
            CreatedAt = attempt.CreatedAt,
            FinishedAt = attempt.FinishedAt,
            Params = attempt.Params,
            ResumedFrom = attempt.ResumedFrom,
        };
    }

    public AttemptRecord ToRecord() => new()
    {
        AttemptId = Id,
        Session = new SessionKey(Project, Workflow, SessionTime),
        RetryAttemptName = RetryAttemptName,
        Index = Index,
        Status = Status,
        CreatedAt = CreatedAt,
        FinishedAt = FinishedAt,
        Params = Params,
        ResumedFrom = ResumedFrom,
    };
}

/// <summary>A task record of an attempt, with its parent among the recorded tasks.</summary>
public sealed record TaskView
{
    public required string AttemptId { get; init; }

    public required string Name { get; init; }

    public string? Parent { get; init; }

    public TaskState State { get; init; }

    public int Tries { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public string? Error { get; init; }

    public string? LogReference { get; init; }

    public JsonElement? StoreParams { get; init; }

    public JsonElement? ExportParams { get; init; }

    public long Sequence { get; init; }

    public static TaskView Of(TaskRecord task, string? parent)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new()
        {
            AttemptId = task.AttemptId,
            Name = task.TaskName,
            Parent = parent,
            State = task.State,
            Tries = task.Tries,
            StartedAt = task.StartedAt,
            FinishedAt = task.FinishedAt,
            Error = task.Error,
            LogReference = task.LogReference,
            StoreParams = task.StoreParams,
            ExportParams = task.ExportParams,
            Sequence = task.Sequence,
        };
    }

    public TaskRecord ToRecord() => new()
    {
        AttemptId = AttemptId,
        TaskName = Name,
        State = State,
        Tries = Tries,
        StartedAt = StartedAt,
        FinishedAt = FinishedAt,
        Error = Error,
        LogReference = LogReference,
        StoreParams = StoreParams,
        ExportParams = ExportParams,
        Sequence = Sequence,
    };
}

/// <summary>One log of a task try: <c>GET /api/attempts/{id}/logs</c>; <see cref="Try"/> counts from 1, as every surface shows tries.</summary>
public sealed record LogFileView(string Task, int Try, string Reference, long Size);

/// <summary>A page of items and the token of the next page (null on the last).</summary>
public sealed record PageView<T>(IReadOnlyList<T> Items, string? Continuation);

/// <summary>The body of <c>POST /api/attempts</c>.</summary>
public sealed record StartAttemptBody
{
    public required string Project { get; init; }

    public required string Workflow { get; init; }

    /// <summary>An ISO-8601 time with offset, or daily, hourly, now, YYYY-MM-DD, "YYYY-MM-DD HH:MM:SS" in the workflow's zone; default: the schedule's last session, or today 00:00.</summary>
    public string? SessionTime { get; init; }

    public string? RetryAttemptName { get; init; }

    public JsonObject? Params { get; init; }
}

/// <summary>The body of <c>POST /api/attempts/{id}/retry</c>.</summary>
public sealed record RetryBody
{
    public required ResumeModeName Mode { get; init; }

    public string? FromTask { get; init; }

    public JsonObject? Params { get; init; }
}

/// <summary>How a retry reuses the original's tasks, as the API names it.</summary>
public enum ResumeModeName
{
    Failed,
    All,
    From,
}

/// <summary>The body of <c>PUT /api/projects/{project}/secrets/{key}</c>.</summary>
public sealed record SecretBody
{
    public required string Value { get; init; }
}

/// <summary>What <c>POST /api/attempts</c> answers with 409: the attempt the session already has.</summary>
public sealed record ExistingAttemptView(AttemptView Attempt);

internal static class ResumeModes
{
    public static ResumeMode Of(ResumeModeName name) => name switch
    {
        ResumeModeName.Failed => ResumeMode.Failed,
        ResumeModeName.From => ResumeMode.From,
        _ => ResumeMode.None,
    };
}
