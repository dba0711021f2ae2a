using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Engine.Sessions;

/// <summary>
/// Starts, waits for and kills attempts on any durable host: what the CLI, the HTTP API, the
/// scheduler and <c>require&gt;</c> share. It speaks only to the orchestration client and the
/// stores, so the local server and the Functions app start attempts the same way.
/// </summary>
public sealed class AttemptLauncher(
    IOrchestrationClient client,
    IRunStore runs,
    IProjectRevisionStore revisions,
    IStartedTryStopper? stopper,
    TimeProvider clock,
    Telemetry.EngineTelemetry? telemetry = null)
{
    /// <summary>Where the host's metrics and spans go (the scheduler records its own there); none when null.</summary>
    public Telemetry.EngineTelemetry? Telemetry => telemetry;

    public IOrchestrationClient Client => client;

    public IRunStore Runs => runs;

    public IProjectRevisionStore Revisions => revisions;

    /// <summary>
    /// Starts an attempt of a session, or returns the one already started with the same session
    /// and name (never a second one): the instance id is derived from them.
    /// </summary>
    public async Task<StartedAttempt> StartAsync(AttemptRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var project = request.ProjectName;
        var key = new SessionKey(project, request.WorkflowName, request.SessionTime);
        var attemptId = key.AttemptInstanceId(request.RetryAttemptName);
        if (await client.GetInstanceAsync(attemptId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            return new StartedAttempt(attemptId, IsNew: false);
        }

        var revision = request.Revision is { } stored
            ? revisions.Load(stored) ?? throw new InvalidOperationException($"project revision {stored} is not stored")
            : await ProjectRevision.FromDirectoryAsync(project, request.ProjectDirectory, cancellationToken);
        await revisions.SaveAsync(revision, cancellationToken);
        var session = await runs.UpsertSessionAsync(SessionRecord.Of(key), cancellationToken);
        var attempt = await runs.UpsertAttemptAsync(
            new AttemptRecord
            {
                AttemptId = attemptId,
                Session = key,
                RetryAttemptName = request.RetryAttemptName,
                Params = request.SessionParams,
                Status = AttemptStatus.Running,
                CreatedAt = clock.GetUtcNow(),
                ResumedFrom = request.ResumeFromAttemptId,
            },
            cancellationToken);
        var input = new AttemptInput
        {
            ProjectName = project,
            Plan = new PlanReference(revision.Id, request.WorkflowName),
            SessionTime = request.SessionTime,
            AttemptId = attemptId,
            RetryAttemptName = request.RetryAttemptName,
            ProjectId = StableIds.Number(project),
            SessionId = session.Number ?? StableIds.Number(SessionRecord.IdOf(key)),
            SessionUuid = StableIds.Uuid(SessionRecord.IdOf(key)),
            AttemptNumber = attempt.Index,
            SessionParams = request.SessionParams,
            Resume = request.Resume,
            ResumeFromAttemptId = request.ResumeFromAttemptId,
            ResumeFromTask = request.ResumeFromTask,
            Selection = request.Selection,
            LastSessionTime = request.LastSessionTime,
            NextSessionTime = request.NextSessionTime,
            LastExecutedSessionTime = await LastExecutedSessionAsync(key, cancellationToken),
            Trace = BatchOrchestrator.Engine.Telemetry.AttemptTrace.New(),
        };
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(ActivityNames.WorkflowOrchestrator, input, new StartOrchestrationOptions(attemptId), cancellationToken);
            return new StartedAttempt(attemptId, IsNew: true);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return new StartedAttempt(attemptId, IsNew: false);
        }
    }

    /// <summary>
    /// The latest earlier session of the workflow that ran (Digdag's <c>last_executed_session_time</c>),
    /// or null on the first run. Reads at most a few thousand sessions: enough for a local history.
    /// </summary>
    private async Task<DateTimeOffset?> LastExecutedSessionAsync(SessionKey key, CancellationToken cancellationToken)
    {
        DateTimeOffset? latest = null;
        var query = new SessionQuery { Project = key.Project, Workflow = key.Workflow, PageSize = 500 };
        for (var page = 0; page < 10; page++)
        {
            var sessions = await runs.ListSessionsAsync(query, cancellationToken);
            foreach (var session in sessions.Items)
            {
                if (session.SessionTime < key.SessionTime && (latest is null || session.SessionTime > latest))
                {
                    latest = session.SessionTime;
                }
            }

            if (sessions.ContinuationToken is null)
            {
                break;
            }

            query = query with { ContinuationToken = sessions.ContinuationToken };
        }

        return latest;
    }

    /// <summary>Waits for an attempt to end and returns its outcome.</summary>
    public async Task<AttemptOutcome> WaitAsync(string attemptId, CancellationToken cancellationToken)
    {
        var metadata = await client.WaitForInstanceCompletionAsync(attemptId, getInputsAndOutputs: true, cancellationToken);
        return metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed
            ? metadata.ReadOutputAs<AttemptOutcome>() ?? AttemptOutcome.Success
            : new AttemptOutcome(false, [new TaskError("+" + attemptId, metadata.FailureDetails?.ErrorMessage ?? metadata.RuntimeStatus.ToString())]);
    }

    /// <summary>
    /// Kills an attempt, the one way every host and command does it (safe to repeat: each step is):
    /// <list type="number">
    /// <item>the attempt is recorded as killed — from then on no activity of it starts a command or
    /// an operator, and a launch already under way stops what it started itself;</item>
    /// <item>its orchestrations are terminated (sub-orchestrations too, where the host honours
    /// <c>Recursive</c>), so no new task is scheduled;</item>
    /// <item>what its running tries started is stopped through the SPI (<see cref="IStartedTryStopper"/>):
    /// commands cancelled by their executors, activity operators cleaned up;</item>
    /// <item>its unfinished tasks are recorded as canceled (<see cref="AttemptKiller.MarkKilledAsync"/>).</item>
    /// </list>
    /// Returns false when the attempt was no longer running; a finished attempt's records do not
    /// change. An attempt recorded as killed whose instance still runs (a kill recorded by another
    /// process, or a host that stopped mid-kill) is killed again, completely.
    /// </summary>
    public async Task<bool> KillAsync(string attemptId, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(attemptId, getInputsAndOutputs: false, cancellationToken);
        var instanceRunning = instance?.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended;
        var recorded = await AttemptKiller.RecordKillAsync(runs, attemptId, clock.GetUtcNow(), cancellationToken);
        if (!recorded && !(instanceRunning && await IsRecordedKilledAsync(attemptId, cancellationToken)))
        {
            return false;
        }

        if (instanceRunning)
        {
            await client.TerminateInstanceAsync(attemptId, new TerminateInstanceOptions(Output: "killed", Recursive: true), cancellationToken);
        }

        // Recorded before the commands are stopped: a stopped command fails its task, and an
        // orchestration the termination has not reached yet (it is asynchronous, and on Durable
        // Task reaches sub-orchestrations after their parent) would record that failure as the
        // task's error. Written with the final sequence, the canceled records stand.
        await AttemptKiller.MarkKilledAsync(runs, attemptId, clock.GetUtcNow(), cancellationToken);
        var unstopped = stopper is null
            ? new Dictionary<string, string>()
            : await stopper.StopStartedTriesAsync(attemptId, cancellationToken);
        if (unstopped.Count > 0)
        {
            // What could not be stopped is said on its task's record.
            await AttemptKiller.MarkKilledAsync(runs, attemptId, clock.GetUtcNow(), cancellationToken, unstopped);
        }
        return true;
    }

    /// <summary>
    /// Completes the kills a host did not finish: every instance still running whose attempt is
    /// recorded as killed — recorded by another process while this host's runtime was not running,
    /// or by a host that stopped between recording and terminating — is killed by <see cref="KillAsync"/>.
    /// Run at start-up, before anything resumes those instances.
    /// </summary>
    public async Task CompleteKillsAsync(CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await client.QueryInstancesAsync(
                new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Suspended], ContinuationToken = token },
                cancellationToken);
            foreach (var instance in page.Instances)
            {
                if (await IsRecordedKilledAsync(instance.InstanceId, cancellationToken))
                {
                    await KillAsync(instance.InstanceId, cancellationToken);
                }
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    private async Task<bool> IsRecordedKilledAsync(string attemptId, CancellationToken cancellationToken) =>
        await runs.GetAttemptStatusAsync(attemptId, cancellationToken) == AttemptStatus.Killed;
}
