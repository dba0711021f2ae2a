using System.Globalization;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Language.Model;

namespace BatchOrchestrator.Engine.Sessions;

/// <summary>What retrying an attempt takes: the attempt, how to retry it, and the workflow as it is now.</summary>
public sealed record RetryRequest
{
    public required AttemptRecord Original { get; init; }

    /// <summary>Failed (reuse the tasks that succeeded), None (run everything again), or From (reuse the tasks before <see cref="FromTask"/>).</summary>
    public required ResumeMode Mode { get; init; }

    /// <summary>With <see cref="ResumeMode.From"/>: the task as given (<c>+load</c> or its full name).</summary>
    public string? FromTask { get; init; }

    /// <summary>Params merged over the original attempt's.</summary>
    public JsonObject? Params { get; init; }

    /// <summary>The workflow's current definition (its schedule gives the session times around the session).</summary>
    public required WorkflowDefinition Definition { get; init; }

    /// <summary>The project folder the retry runs in.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>The stored revision to run; the folder's current files when null.</summary>
    public string? Revision { get; init; }
}

/// <summary>A retry that was started (or found started by an identical request), and the full name of its from-task.</summary>
public sealed record StartedRetry(StartedAttempt Attempt, string? FromTask);

/// <summary>
/// Retrying an attempt (<c>bo retry</c>, the API's retry, the UI's RETRY buttons): a new attempt
/// <c>retry-N</c> of the same session with the current files, reusing the tasks that succeeded,
/// none, or those before a task.
/// </summary>
public static class AttemptRetries
{
    /// <exception cref="AttemptRequestException">The attempt is still running, or the from-task is missing or unknown.</exception>
    public static async Task<StartedRetry> StartAsync(AttemptLauncher launcher, RetryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launcher);
        ArgumentNullException.ThrowIfNull(request);
        var original = request.Original;
        if (original.Status == AttemptStatus.Running)
        {
            throw new AttemptRequestException($"attempt {original.AttemptId} has not finished: carry it on, or kill it first", AttemptRequestProblem.Conflict);
        }

        string? fromTask = null;
        if (request.Mode == ResumeMode.From)
        {
            if (string.IsNullOrWhiteSpace(request.FromTask))
            {
                throw new AttemptRequestException("retrying from a task needs the task, e.g. +load", AttemptRequestProblem.BadValue);
            }

            fromTask = TaskNames.Resolve(await launcher.Runs.GetTasksAsync(original.AttemptId, cancellationToken), request.FromTask);
        }

        var times = SessionTimes.Around(request.Definition, original.Session.SessionTime);
        var attempts = await launcher.Runs.GetAttemptsAsync(original.SessionId, cancellationToken);
        var started = await launcher.StartAsync(
            new AttemptRequest
            {
                ProjectDirectory = request.ProjectDirectory,
                ProjectName = original.Session.Project,
                Revision = request.Revision,
                WorkflowName = original.Session.Workflow,
                SessionTime = times.SessionTime,
                LastSessionTime = times.LastSessionTime,
                NextSessionTime = times.NextSessionTime,
                SessionParams = SessionParams.Merge(original.Params, request.Params),
                RetryAttemptName = NewName("retry", attempts),
                Resume = request.Mode,
                ResumeFromAttemptId = request.Mode == ResumeMode.None ? null : original.AttemptId,
                ResumeFromTask = fromTask,
            },
            cancellationToken);
        return new StartedRetry(started, fromTask);
    }

    /// <summary>A retry attempt's name, new in its session: attempts only ever get added, so their count never repeats.</summary>
    public static string NewName(string kind, IReadOnlyList<AttemptRecord> attempts)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        return $"{kind}-{attempts.Count.ToString(CultureInfo.InvariantCulture)}";
    }
}
