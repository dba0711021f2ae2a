using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Sessions;

/// <summary>
/// Starts the sessions <c>require&gt;</c> asks for. Created before the launcher (the activities
/// need it, and the launcher needs the runtime the activities run in) and bound to it once the
/// host runs.
/// </summary>
public sealed class SessionStarter : ISessionStarter
{
    private AttemptLauncher? _launcher;
    private IProjectCatalog? _projects;

    /// <summary>
    /// The projects a host serves (<c>bo server</c>): a <c>require&gt;</c> of another project starts
    /// the workflow of that project's current revision. Without it, only the requiring project's own.
    /// </summary>
    public void ServeProjects(IProjectCatalog projects)
    {
        ArgumentNullException.ThrowIfNull(projects);
        if (Interlocked.CompareExchange(ref _projects, projects, null) is not null)
        {
            throw new InvalidOperationException("The session starter already has its projects.");
        }
    }

    /// <summary>Binds the launcher, once, when the host is up.</summary>
    public void Bind(AttemptLauncher launcher)
    {
        ArgumentNullException.ThrowIfNull(launcher);
        if (Interlocked.CompareExchange(ref _launcher, launcher, null) is not null)
        {
            throw new InvalidOperationException("The session starter is already bound to a launcher.");
        }
    }

    public async Task<string> StartOrFindAsync(SessionStartRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var launcher = Volatile.Read(ref _launcher) ?? throw new InvalidOperationException("The engine is not running yet.");
        var revision = request.OtherProject is { } other
            ? await OtherProjectRevisionAsync(other, cancellationToken)
            : launcher.Revisions.Load(request.Revision) ?? throw new InvalidOperationException($"project revision {request.Revision} is not stored");
        var key = new SessionKey(revision.Project, request.WorkflowName, request.SessionTime);
        var latest = await launcher.Runs.GetLatestAttemptAsync(SessionRecord.IdOf(key), cancellationToken);
        var rerun = latest is not null && latest.Status != AttemptStatus.Running && request.RerunOn switch
        {
            RerunOn.All => true,
            RerunOn.Failed => latest.Status is AttemptStatus.Error or AttemptStatus.Killed,
            _ => false,
        };
        if (latest is not null && !rerun)
        {
            return latest.AttemptId;
        }

        var started = await launcher.StartAsync(
            new AttemptRequest
            {
                ProjectDirectory = revision.SourceDirectory,
                ProjectName = revision.Project,
                Revision = revision.Id,
                WorkflowName = request.WorkflowName,
                SessionTime = request.SessionTime,
                SessionParams = request.Params,

                // Named after the attempt it replaces, so a re-delivered request finds this one instead of starting another.
                RetryAttemptName = latest is null ? null : $"rerun-{latest.Index + 1}",
            },
            cancellationToken);
        return started.AttemptId;
    }

    /// <summary>The current revision of the project <c>require&gt;</c> names; a project this host does not serve fails the task.</summary>
    private async Task<ProjectRevision> OtherProjectRevisionAsync(OtherProject other, CancellationToken cancellationToken)
    {
        var projects = Volatile.Read(ref _projects)
            ?? throw new TaskFailure($"require>: {other} names another project, and this host runs one project (bo run: its folder's). Run the projects on bo server, which starts the required workflow as a session of its own project", retryable: false);
        var revision = other.Name is { } name
            ? await projects.GetCurrentRevisionAsync(name, cancellationToken)
            : (await projects.GetCurrentRevisionsAsync(cancellationToken)).FirstOrDefault(r => StableIds.Number(r.Project) == other.Id);
        if (revision is null)
        {
            var served = (await projects.GetCurrentRevisionsAsync(cancellationToken)).Select(r => $"{r.Project} (project_id {StableIds.Number(r.Project)})");
            throw new TaskFailure($"require>: {other}: no such project here; the projects are {string.Join(", ", served)}", retryable: false);
        }

        return revision;
    }
}
