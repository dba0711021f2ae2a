using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Scheduling;

/// <summary>Starts sessions of scheduled workflows for the scheduler and for backfills, through the one <see cref="AttemptLauncher"/>.</summary>
public sealed class ScheduledSessionStarter(AttemptLauncher launcher)
{
    /// <summary>Where the scheduler records its lag and skipped sessions; none when null.</summary>
    public Telemetry.EngineTelemetry? Telemetry => launcher.Telemetry;

    public IRunStore Runs => launcher.Runs;

    /// <summary>Stores a revision so attempts can run it (storing it again changes nothing).</summary>
    public Task SaveRevisionAsync(Projects.ProjectRevision revision, CancellationToken cancellationToken) =>
        launcher.Revisions.SaveAsync(revision, cancellationToken);

    /// <summary>
    /// Starts (or finds: the instance id is derived from the session and the name) an attempt of
    /// a session of the workflow's revision, with the session times around it for
    /// <c>last_session_*</c> and <c>next_session_*</c>.
    /// </summary>
    public async Task<StartedAttempt> StartAsync(ScheduledWorkflow workflow, DateTimeOffset sessionTime, string? retryAttemptName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        await launcher.Revisions.SaveAsync(workflow.Revision, cancellationToken);
        var (last, next) = workflow.Neighbours(sessionTime);
        return await launcher.StartAsync(
            new AttemptRequest
            {
                ProjectDirectory = workflow.Revision.SourceDirectory,
                ProjectName = workflow.Project,
                WorkflowName = workflow.Workflow,
                SessionTime = sessionTime,
                Revision = workflow.Revision.Id,
                RetryAttemptName = retryAttemptName,
                LastSessionTime = last,
                NextSessionTime = next,
            },
            cancellationToken);
    }

    /// <summary>The revision stored under an id (a backfill's), or null when it is not stored.</summary>
    public Projects.ProjectRevision? LoadRevision(string revisionId) => launcher.Revisions.Load(revisionId);
}
