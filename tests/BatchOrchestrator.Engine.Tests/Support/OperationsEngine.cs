using System.Text.Json;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin;
using BatchOrchestrator.Engine.Operators.Builtin.Http;
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

namespace BatchOrchestrator.Engine.Tests.Support;

/// <summary>
/// The local engine's composition (embedded durable runtime, SQLite records, file logs, local
/// processes, the encrypted secret file) with the operations operators registered through
/// <see cref="OperationsOperators.AddOperations"/> — the one call the local host adds for them.
/// Webhook retries wait milliseconds, not seconds, so retry tests stay short.
/// </summary>
internal sealed class OperationsEngine : IAsyncDisposable
{
    public static readonly DateTimeOffset SessionTime = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

    public static readonly HttpRetryPolicy FastRetry = new(3, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100));

    private readonly string _root = Directory.CreateTempSubdirectory("bo-ops-").FullName;
    private DurableRuntime? _runtime;
    private SqliteRunStore? _runs;
    private SqliteParamStore? _params;
    private LocalCommandExecutor? _executor;
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    private OperationsEngine() => Directory.CreateDirectory(ProjectDirectory);

    public string ProjectDirectory => Path.Combine(_root, "project");

    private string StateDirectory => Path.Combine(ProjectDirectory, ".bo");

    public IRunStore Runs => _runs!;

    public ISecretStore Secrets { get; private set; } = null!;

    public static async Task<OperationsEngine> StartAsync()
    {
        var engine = new OperationsEngine();
        await engine.ComposeAsync();
        return engine;
    }

    private async Task ComposeAsync()
    {
        Directory.CreateDirectory(StateDirectory);
        var revisions = new FileProjectRevisionStore(Path.Combine(StateDirectory, "revisions"));
        var logs = new FileLogStore(Path.Combine(StateDirectory, "logs"));
        _runs = await SqliteRunStore.OpenAsync(Path.Combine(StateDirectory, "runs.db"), CancellationToken.None);
        _params = await SqliteParamStore.OpenAsync(Path.Combine(StateDirectory, "params.db"), CancellationToken.None);
        Secrets = EncryptedFileSecretStore.InStateFolder(StateDirectory, new SecretKeySource(null, Path.Combine(_root, "secrets.key")));
        var maskedLogs = new MaskingLogStore(logs);
        _executor = new LocalCommandExecutor(maskedLogs, new LocalExecutorOptions { TaskRoot = LocalExecutorOptions.TaskRootFor(StateDirectory) });
        var services = new WorkflowServices(new RevisionPlanSource(revisions), [new ShOperator(), new PyOperator()]);
        var operators = new OperatorRegistry().AddBuiltins(_http, maskedLogs, _params, FastRetry);
        var activities = new WorkflowActivities(operators, [_executor], maskedLogs, _runs, secrets: new TaskSecrets(Secrets, maskedLogs));
        var registry = new OrchestrationRegistry().AddWorkflows(new WorkflowOrchestrator(services), activities);
        _runtime = await DurableRuntime.StartAsync(
            new DurableRuntimeOptions { DatabasePath = Path.Combine(StateDirectory, "runtime.db"), ActivityWorkers = 4 },
            registry,
            cancellation: CancellationToken.None);
        _revisions = revisions;
    }

    private FileProjectRevisionStore? _revisions;

    public string Write(string relativePath, string text)
    {
        var path = Path.Combine(ProjectDirectory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public bool Exists(string relativePath) => File.Exists(Path.Combine(ProjectDirectory, relativePath));

    /// <summary>Starts an attempt of a workflow as <c>bo run</c> does (revision, records, orchestration) and waits for its end.</summary>
    public async Task<RunResult> RunAsync(string workflow, object? sessionParams = null)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var key = new SessionKey("project", workflow, SessionTime);
        var attemptId = key.AttemptInstanceId(null);
        var revision = await ProjectRevision.FromDirectoryAsync("project", ProjectDirectory, guard.Token);
        await _revisions!.SaveAsync(revision, guard.Token);
        await _runs!.UpsertSessionAsync(SessionRecord.Of(key), guard.Token);
        var parameters = JsonSerializer.SerializeToElement(sessionParams ?? new { });
        var attempt = await _runs.UpsertAttemptAsync(
            new AttemptRecord { AttemptId = attemptId, Session = key, Params = parameters, Status = AttemptStatus.Running, CreatedAt = DateTimeOffset.UtcNow },
            guard.Token);
        var input = new AttemptInput
        {
            ProjectName = "project",
            Plan = new PlanReference(revision.Id, workflow),
            SessionTime = SessionTime,
            AttemptId = attemptId,
            AttemptNumber = attempt.Index,
            SessionParams = parameters,
        };
        await _runtime!.Client.ScheduleNewOrchestrationInstanceAsync(ActivityNames.WorkflowOrchestrator, input, new StartOrchestrationOptions(attemptId), guard.Token);
        var metadata = await _runtime.Client.WaitForInstanceCompletionAsync(attemptId, getInputsAndOutputs: true, guard.Token);
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus, metadata.FailureDetails?.ErrorMessage);
        var outcome = metadata.ReadOutputAs<AttemptOutcome>()!;
        return new RunResult(attemptId, outcome, await _runs.GetTasksAsync(attemptId, guard.Token));
    }

    /// <summary>The attempt's record (its final status).</summary>
    public Task<AttemptRecord?> AttemptAsync(string attemptId) => _runs!.GetAttemptAsync(attemptId, CancellationToken.None);

    /// <summary>The log of a task's last try.</summary>
    public Task<string> LogAsync(RunResult run, string taskName) =>
        File.ReadAllTextAsync(Path.Combine(StateDirectory, "logs", run.Task(taskName).LogReference!));

    /// <summary>Every byte of the state folder's files, as text, for leak checks.</summary>
    public string StateText() =>
        string.Concat(Directory.EnumerateFiles(StateDirectory, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)).Select(Read));

    private static string Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public async ValueTask DisposeAsync()
    {
        if (_runtime is not null)
        {
            await _runtime.DisposeAsync();
        }

        if (_executor is not null)
        {
            await _executor.DisposeAsync();
        }

        if (_runs is not null)
        {
            await _runs.DisposeAsync();
        }

        if (_params is not null)
        {
            await _params.DisposeAsync();
        }

        _http.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }
}
