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
        var revision = launcher.Revisions.Load(request.Revision)
            ?? throw new InvalidOperationException($"project revision {request.Revision} is not stored");
        var key = new SessionKey(request.ProjectName, request.WorkflowName, request.SessionTime);
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
                WorkflowName = request.WorkflowName,
                SessionTime = request.SessionTime,
                SessionParams = request.Params,

                // Named after the attempt it replaces, so a re-delivered request finds this one instead of starting another.
                RetryAttemptName = latest is null ? null : $"rerun-{latest.Index + 1}",
            },
            cancellationToken);
        return started.AttemptId;
    }
}
