using BatchOrchestrator.Engine.Hosting;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Telemetry;
using BatchOrchestrator.Engine.Workflows;
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
    private readonly EngineParts _parts;
    private readonly SqliteRunStore _runs;
    private readonly IParamStore _params;
    private EngineTelemetry? _ownTelemetry;

    private LocalEngine(DurableRuntime runtime, EngineParts parts, SqliteRunStore runs, IParamStore parameters, ILogStore logs, IProjectRevisionStore revisions, ISecretStore secrets)
    {
        Operators = parts.Operators;
        _runtime = runtime;
        _parts = parts;
        _runs = runs;
        _params = parameters;
        Logs = logs;
        Revisions = revisions;
        Secrets = secrets;
        Attempts = parts.Launch(runtime.Client);
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
        if (File.Exists(options.StateDirectory))
        {
            throw new StoreUnavailableException($"The state folder '{options.StateDirectory}' is a file.", options.StateDirectory, StoreFailure.WrongKind);
        }

        Directory.CreateDirectory(options.StateDirectory);
        // runtime.db is opened (created, or recovered and checked) on another thread while runs.db is
        // opened and the engine composed on this one; the runtime starts dispatching once composed.
        var registry = new TaskCompletionSource<OrchestrationRegistry>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runtimeOptions = new DurableRuntimeOptions { DatabasePath = Path.Combine(options.StateDirectory, "runtime.db"), ActivityWorkers = options.ActivityWorkers };
        var starting = Task.Run(() => DurableRuntime.StartAsync(runtimeOptions, registry.Task, cancellation: cancellationToken), cancellationToken);
        SqliteRunStore? runs = null;
        IParamStore? parameters = null;
        try
        {
            var revisions = options.Revisions ?? new FileProjectRevisionStore(Path.Combine(options.StateDirectory, "revisions"));
            // Files unless the host's environment names a Blob account (docs/storage.md).
            var logs = LogStoreConfiguration.FromEnvironment(LocalState.LogsDirectoryOf(options.StateDirectory));
            runs = await SqliteRunStore.OpenAsync(Path.Combine(options.StateDirectory, "runs.db"), cancellationToken);
            parameters = await ParamStoreConfiguration.FromEnvironmentAsync(Path.Combine(options.StateDirectory, "params.db"), cancellationToken);
            var secrets = options.SecretStore ?? EncryptedFileSecretStore.InStateFolder(options.StateDirectory, options.SecretKey);
            var telemetry = options.Telemetry ?? new EngineTelemetry();

            var parts = EngineBuilder.Build(new EngineOptions
            {
                Logs = logs,
                Runs = runs,
                Params = parameters,
                Revisions = revisions,
                Secrets = secrets,
                Executors = [masked => new LocalCommandExecutor(masked, new LocalExecutorOptions { TaskRoot = LocalExecutorOptions.TaskRootFor(options.StateDirectory) }), .. options.ExtraExecutors],
                Operators = LocalOperators.Create(options.ExtraOperators, options.WebhookRetry),
                Workflows = options.Engine,
                Telemetry = telemetry,
            });
            registry.SetResult(new OrchestrationRegistry().AddWorkflows(parts.Functions));
            var runtime = await starting;
            ObserveBacklog(telemetry, runtime);
            return new LocalEngine(runtime, parts, runs, parameters, logs, revisions, secrets) { _ownTelemetry = options.Telemetry is null ? telemetry : null };
        }
        catch (Exception failure)
        {
            registry.TrySetException(failure);
            await StopStartedAsync(starting);
            if (runs is not null)
            {
                await runs.DisposeAsync();
            }

            if (parameters is IAsyncDisposable opened)
            {
                await opened.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>After a failed start: the runtime, if it started before the failure, stopped; its own failure is not the one to report.</summary>
    private static async Task StopStartedAsync(Task<DurableRuntime> starting)
    {
        try
        {
            await (await starting).DisposeAsync();
        }
        catch (Exception)
        {
            // The runtime failed to start too (or was cancelled with the start): nothing to stop.
        }
    }

    private static void ObserveBacklog(EngineTelemetry telemetry, DurableRuntime runtime) =>
        telemetry.ObserveRuntimeBacklog(() =>
        {
            var backlog = runtime.Backlog;
            return
            [
                new(backlog.Orchestrations, new KeyValuePair<string, object?>(TelemetryNames.WorkItemKind, "orchestration")),
                new(backlog.Activities, new KeyValuePair<string, object?>(TelemetryNames.WorkItemKind, "activity")),
                new(backlog.Timers, new KeyValuePair<string, object?>(TelemetryNames.WorkItemKind, "timer")),
            ];
        });

    /// <summary>Starts, waits for and kills attempts (shared with the HTTP API and the scheduler).</summary>
    public AttemptLauncher Attempts { get; }

    /// <inheritdoc cref="AttemptLauncher.StartAsync"/>
    public Task<StartedAttempt> StartAsync(AttemptRequest request, CancellationToken cancellationToken) => Attempts.StartAsync(request, cancellationToken);

    /// <inheritdoc cref="AttemptLauncher.WaitAsync"/>
    public Task<AttemptOutcome> WaitAsync(string attemptId, CancellationToken cancellationToken) => Attempts.WaitAsync(attemptId, cancellationToken);

    /// <inheritdoc cref="AttemptLauncher.KillAsync"/>
    public Task<bool> KillAsync(string attemptId, CancellationToken cancellationToken) => Attempts.KillAsync(attemptId, cancellationToken);

    /// <summary>The projects a server serves: <c>require&gt;</c> of another of them starts a session of that project.</summary>
    public void ServeProjects(IProjectCatalog projects) => _parts.ServeProjects(projects);

    public async ValueTask DisposeAsync()
    {
        await _runtime.DisposeAsync();
        await _parts.DisposeAsync();
        await _runs.DisposeAsync();
        if (_params is IAsyncDisposable parameters)
        {
            await parameters.DisposeAsync();
        }

        (Secrets as IDisposable)?.Dispose();
        _ownTelemetry?.Dispose();
    }
}
