using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin;
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
using BatchOrchestrator.Storage.Blob;
using BatchOrchestrator.Storage.Blob.Operators;
using BatchOrchestrator.Storage.Files;
using BatchOrchestrator.Storage.Sqlite;

namespace BatchOrchestrator.Server.Local;

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
    private readonly IParamStore _params;
    private readonly LocalCommandExecutor _executor;
    private readonly HttpClient _http;
    private readonly IReadOnlyList<ICommandExecutor> _extraExecutors;

    private LocalEngine(DurableRuntime runtime, SqliteRunStore runs, IParamStore parameters, ILogStore logs, IProjectRevisionStore revisions, LocalCommandExecutor executor, HttpClient http, ISecretStore secrets, IReadOnlyList<ICommandExecutor> extraExecutors, OperatorRegistry operators, WorkflowActivities activities)
    {
        Operators = operators;
        _extraExecutors = extraExecutors;
        _runtime = runtime;
        _runs = runs;
        _params = parameters;
        Logs = logs;
        Revisions = revisions;
        _executor = executor;
        _http = http;
        Secrets = secrets;
        Attempts = new AttemptLauncher(runtime.Client, runs, revisions, activities, TimeProvider.System);
    }

    public IOrchestrationClient Client => _runtime.Client;

    /// <summary>The operators this engine runs, which its workflows are checked against (the API's and the scheduler's catalog).</summary>
    public OperatorRegistry Operators { get; }

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
        var revisions = options.Revisions ?? new FileProjectRevisionStore(Path.Combine(options.StateDirectory, "revisions"));
        // Files unless the host's environment names a Blob account (docs/storage.md).
        var logs = LogStoreConfiguration.FromEnvironment(LocalState.LogsDirectoryOf(options.StateDirectory));
        var runs = await SqliteRunStore.OpenAsync(Path.Combine(options.StateDirectory, "runs.db"), cancellationToken);
        var parameters = await ParamStoreConfiguration.FromEnvironmentAsync(Path.Combine(options.StateDirectory, "params.db"), cancellationToken);
        var secrets = options.SecretStore ?? EncryptedFileSecretStore.InStateFolder(options.StateDirectory, options.SecretKey);

        // Executors and operators write through the masking store, so each try's secret values are masked before they reach a file.
        var maskedLogs = new MaskingLogStore(logs);
        var executor = new LocalCommandExecutor(maskedLogs, new LocalExecutorOptions { TaskRoot = LocalExecutorOptions.TaskRootFor(options.StateDirectory) });
        var operators = LocalOperators.Create(options.ExtraOperators, options.WebhookRetry);
        var services = new WorkflowServices(operators, options.Engine);
        var sessions = new SessionStarter();

        // One client for every http> task (pooled connections); each request has its own timeout option.
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var activityOperators = operators.CreateActivities(new OperatorServices(http, maskedLogs, parameters));
        List<ICommandExecutor> extra = [.. options.ExtraExecutors.Select(make => make(maskedLogs))];
        var activities = new WorkflowActivities(activityOperators, [executor, .. extra], maskedLogs, runs, revisions, sessions, new TaskSecrets(secrets, maskedLogs));
        var registry = new OrchestrationRegistry().AddWorkflows(new WorkflowOrchestrator(services), activities);
        var runtime = await DurableRuntime.StartAsync(
            new DurableRuntimeOptions { DatabasePath = Path.Combine(options.StateDirectory, "runtime.db"), ActivityWorkers = options.ActivityWorkers },
            registry,
            cancellation: cancellationToken);
        var engine = new LocalEngine(runtime, runs, parameters, logs, revisions, executor, http, secrets, extra, operators, activities);
        sessions.Bind(engine.Attempts);
        return engine;
    }

    /// <summary>Starts, waits for and kills attempts (shared with the HTTP API and the scheduler).</summary>
    public AttemptLauncher Attempts { get; }

    /// <inheritdoc cref="AttemptLauncher.StartAsync"/>
    public Task<StartedAttempt> StartAsync(AttemptRequest request, CancellationToken cancellationToken) => Attempts.StartAsync(request, cancellationToken);

    /// <inheritdoc cref="AttemptLauncher.WaitAsync"/>
    public Task<AttemptOutcome> WaitAsync(string attemptId, CancellationToken cancellationToken) => Attempts.WaitAsync(attemptId, cancellationToken);

    /// <inheritdoc cref="AttemptLauncher.KillAsync"/>
    public Task<bool> KillAsync(string attemptId, CancellationToken cancellationToken) => Attempts.KillAsync(attemptId, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _runtime.DisposeAsync();
        await _executor.DisposeAsync();
        foreach (var extra in _extraExecutors.OfType<IDisposable>())
        {
            extra.Dispose();
        }

        await _runs.DisposeAsync();
        if (_params is IAsyncDisposable parameters)
        {
            await parameters.DisposeAsync();
        }
        _http.Dispose();
        (Secrets as IDisposable)?.Dispose();
    }
}
