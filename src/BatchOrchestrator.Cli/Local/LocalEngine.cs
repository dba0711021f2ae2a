using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Executors.Local;
using BatchOrchestrator.Runtime;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Storage.Files;
using BatchOrchestrator.Storage.Sqlite;

namespace BatchOrchestrator.Cli.Local;

/// <summary>
/// The engine with zero setup: the embedded durable runtime, records in SQLite, logs in files,
/// scripts as local processes, all under one state folder. Attempts survive a crash of the
/// process: the next engine on the same folder carries them on.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LocalEngine : IAsyncDisposable
{
    private readonly DurableRuntime _runtime;
    private readonly SqliteRunStore _runs;
    private readonly LocalCommandExecutor _executor;

    private LocalEngine(DurableRuntime runtime, SqliteRunStore runs, FileLogStore logs, FileProjectRevisionStore revisions, LocalCommandExecutor executor)
    {
        _runtime = runtime;
        _runs = runs;
        Logs = logs;
        Revisions = revisions;
        _executor = executor;
    }

    public IOrchestrationClient Client => _runtime.Client;

    public IRunStore Runs => _runs;

    public ILogStore Logs { get; }

    public IProjectRevisionStore Revisions { get; }

    public static async Task<LocalEngine> StartAsync(LocalEngineOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.StateDirectory);
        var revisions = new FileProjectRevisionStore(Path.Combine(options.StateDirectory, "revisions"));
        var logs = new FileLogStore(Path.Combine(options.StateDirectory, "logs"));
        var runs = await SqliteRunStore.OpenAsync(Path.Combine(options.StateDirectory, "runs.db"), cancellationToken);
        var executor = new LocalCommandExecutor(logs);
        var services = new WorkflowServices(new RevisionPlanSource(revisions), [new ShOperator(), new PyOperator()], options.Engine);
        var activities = new WorkflowActivities(new OperatorRegistry(), [executor], logs, runs);
        var registry = new OrchestrationRegistry().AddWorkflows(new WorkflowOrchestrator(services), activities);
        var runtime = await DurableRuntime.StartAsync(
            new DurableRuntimeOptions { DatabasePath = Path.Combine(options.StateDirectory, "runtime.db"), ActivityWorkers = options.ActivityWorkers },
            registry,
            cancellation: cancellationToken);
        return new LocalEngine(runtime, runs, logs, revisions, executor);
    }

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
        if (await Client.GetInstanceAsync(attemptId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            return new StartedAttempt(attemptId, IsNew: false);
        }

        var revision = await ProjectRevision.FromDirectoryAsync(project, request.ProjectDirectory, cancellationToken);
        await Revisions.SaveAsync(revision, cancellationToken);
        await _runs.UpsertSessionAsync(SessionRecord.Of(key), cancellationToken);
        var attempt = await _runs.UpsertAttemptAsync(
            new AttemptRecord
            {
                AttemptId = attemptId,
                Session = key,
                RetryAttemptName = request.RetryAttemptName,
                Params = request.SessionParams,
                Status = AttemptStatus.Running,
                CreatedAt = DateTimeOffset.UtcNow,
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
            SessionId = StableIds.Number(SessionRecord.IdOf(key)),
            SessionUuid = StableIds.Uuid(SessionRecord.IdOf(key)),
            AttemptNumber = attempt.Index,
            SessionParams = request.SessionParams,
            Resume = request.Resume,
            ResumeFromAttemptId = request.ResumeFromAttemptId,
            ResumeFromTask = request.ResumeFromTask,
            LastSessionTime = request.LastSessionTime,
            NextSessionTime = request.NextSessionTime,
        };
        try
        {
            await Client.ScheduleNewOrchestrationInstanceAsync(ActivityNames.WorkflowOrchestrator, input, new StartOrchestrationOptions(attemptId), cancellationToken);
            return new StartedAttempt(attemptId, IsNew: true);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return new StartedAttempt(attemptId, IsNew: false);
        }
    }

    /// <summary>Waits for an attempt to end and returns its outcome.</summary>
    public async Task<AttemptOutcome> WaitAsync(string attemptId, CancellationToken cancellationToken)
    {
        var metadata = await Client.WaitForInstanceCompletionAsync(attemptId, getInputsAndOutputs: true, cancellationToken);
        return metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed
            ? metadata.ReadOutputAs<AttemptOutcome>() ?? AttemptOutcome.Success
            : new AttemptOutcome(false, [new TaskError("+" + attemptId, metadata.FailureDetails?.ErrorMessage ?? metadata.RuntimeStatus.ToString())]);
    }

    public async ValueTask DisposeAsync()
    {
        await _runtime.DisposeAsync();
        await _executor.DisposeAsync();
        await _runs.DisposeAsync();
    }
}
