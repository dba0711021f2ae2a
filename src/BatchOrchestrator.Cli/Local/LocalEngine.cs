using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin;
using BatchOrchestrator.Engine.Operators.Builtin.Http;
using BatchOrchestrator.Engine.Operators.Builtin.Params;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Secrets;
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
    private readonly SqliteParamStore _params;
    private readonly LocalCommandExecutor _executor;
    private readonly HttpClient _http;
    private readonly IReadOnlyList<ICommandExecutor> _extraExecutors;

    private LocalEngine(DurableRuntime runtime, SqliteRunStore runs, SqliteParamStore parameters, FileLogStore logs, FileProjectRevisionStore revisions, LocalCommandExecutor executor, HttpClient http, ISecretStore secrets, IReadOnlyList<ICommandExecutor> extraExecutors)
    {
        _extraExecutors = extraExecutors;
        _runtime = runtime;
        _runs = runs;
        _params = parameters;
        Logs = logs;
        Revisions = revisions;
        _executor = executor;
        _http = http;
        Secrets = secrets;
    }

    public IOrchestrationClient Client => _runtime.Client;

    public IRunStore Runs => _runs;

    public ILogStore Logs { get; }

    /// <summary>The project's persistent params (<c>param_set&gt;</c>, <c>param_get&gt;</c>): <c>params.db</c> in the state folder.</summary>
    public IParamStore Params => _params;

    public IProjectRevisionStore Revisions { get; }

    /// <summary>The secrets <c>${secret:...}</c> reads: <c>secrets.enc</c> in the state folder.</summary>
    public ISecretStore Secrets { get; }

    public static async Task<LocalEngine> StartAsync(LocalEngineOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.StateDirectory);
        var revisions = new FileProjectRevisionStore(Path.Combine(options.StateDirectory, "revisions"));
        var logs = new FileLogStore(Path.Combine(options.StateDirectory, "logs"));
        var runs = await SqliteRunStore.OpenAsync(Path.Combine(options.StateDirectory, "runs.db"), cancellationToken);
        var parameters = await SqliteParamStore.OpenAsync(Path.Combine(options.StateDirectory, "params.db"), cancellationToken);
        var secrets = EncryptedFileSecretStore.InStateFolder(options.StateDirectory, options.SecretKey);

        // Executors and operators write through the masking store, so each try's secret values are masked before they reach a file.
        var maskedLogs = new MaskingLogStore(logs);
        var executor = new LocalCommandExecutor(maskedLogs, new LocalExecutorOptions { TaskRoot = LocalExecutorOptions.TaskRootFor(options.StateDirectory) });
        var services = new WorkflowServices(new RevisionPlanSource(revisions), [new ShOperator(), new PyOperator()], options.Engine);
        var sessions = new LocalSessionStarter();

        // One client for every http> task (pooled connections); each request has its own timeout option.
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var operators = new OperatorRegistry()
            .Add(new HttpOperator(http, maskedLogs))
            .Add(new ParamSetOperator(parameters))
            .Add(new ParamGetOperator(parameters));
        List<ICommandExecutor> extra = [.. options.ExtraExecutors.Select(make => make(maskedLogs))];
        var activities = new WorkflowActivities(operators, [executor, .. extra], maskedLogs, runs, sessions, new TaskSecrets(secrets, maskedLogs));
        var registry = new OrchestrationRegistry().AddWorkflows(new WorkflowOrchestrator(services), activities);
        var runtime = await DurableRuntime.StartAsync(
            new DurableRuntimeOptions { DatabasePath = Path.Combine(options.StateDirectory, "runtime.db"), ActivityWorkers = options.ActivityWorkers },
            registry,
            cancellation: cancellationToken);
        var engine = new LocalEngine(runtime, runs, parameters, logs, revisions, executor, http, secrets, extra);
        sessions.Engine = engine;
        return engine;
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
            Selection = request.Selection,
            LastSessionTime = request.LastSessionTime,
            NextSessionTime = request.NextSessionTime,
            LastExecutedSessionTime = await LastExecutedSessionAsync(key, cancellationToken),
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
            var sessions = await _runs.ListSessionsAsync(query, cancellationToken);
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
        var metadata = await Client.WaitForInstanceCompletionAsync(attemptId, getInputsAndOutputs: true, cancellationToken);
        return metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed
            ? metadata.ReadOutputAs<AttemptOutcome>() ?? AttemptOutcome.Success
            : new AttemptOutcome(false, [new TaskError("+" + attemptId, metadata.FailureDetails?.ErrorMessage ?? metadata.RuntimeStatus.ToString())]);
    }

    /// <summary>
    /// Kills an attempt: its orchestrations end (sub-orchestrations too), so no new task starts;
    /// the processes and Jobs of its running tasks are stopped; the attempt is recorded as killed
    /// and its unfinished tasks as canceled (<see cref="AttemptKiller.MarkKilledAsync"/>). Returns
    /// false when the attempt was no longer running; a finished attempt's records do not change.
    /// </summary>
    public async Task<bool> KillAsync(string attemptId, CancellationToken cancellationToken)
    {
        var instance = await Client.GetInstanceAsync(attemptId, getInputsAndOutputs: false, cancellationToken);
        var running = instance?.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended;
        if (running)
        {
            await Client.TerminateInstanceAsync(attemptId, new TerminateInstanceOptions(Output: "killed", Recursive: true), cancellationToken);
            await _executor.CancelAttemptAsync(attemptId, cancellationToken);
            foreach (var jobs in _extraExecutors.OfType<Executors.Kubernetes.KubernetesCommandExecutor>())
            {
                await jobs.CancelAttemptAsync(attemptId, cancellationToken);
            }
        }

        await AttemptKiller.MarkKilledAsync(_runs, attemptId, DateTimeOffset.UtcNow, cancellationToken);
        return running;
    }

    public async ValueTask DisposeAsync()
    {
        await _runtime.DisposeAsync();
        await _executor.DisposeAsync();
        foreach (var extra in _extraExecutors.OfType<IDisposable>())
        {
            extra.Dispose();
        }

        await _runs.DisposeAsync();
        await _params.DisposeAsync();
        _http.Dispose();
    }
}
