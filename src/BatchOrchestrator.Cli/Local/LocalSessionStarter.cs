using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Cli.Local;

/// <summary>
/// Starts the sessions <c>require&gt;</c> asks for on the local engine. Created before the engine
/// (the activities need it) and bound to it once the engine runs.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class LocalSessionStarter : ISessionStarter
{
    public LocalEngine? Engine { get; set; }

    public async Task<string> StartOrFindAsync(SessionStartRequest request, CancellationToken cancellationToken)
    {
        var engine = Engine ?? throw new InvalidOperationException("The local engine is not running yet.");
        var revision = engine.Revisions.Load(request.Revision)
            ?? throw new InvalidOperationException($"project revision {request.Revision} is not stored");
        var key = new SessionKey(request.ProjectName, request.WorkflowName, request.SessionTime);
        var latest = await engine.Runs.GetLatestAttemptAsync(SessionRecord.IdOf(key), cancellationToken);
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

        var started = await engine.StartAsync(
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
