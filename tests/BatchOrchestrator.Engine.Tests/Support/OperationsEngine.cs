using System.Text.Json;
using BatchOrchestrator.Engine.Operators.Builtin.Http;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Server.Local;
using BatchOrchestrator.Storage.Files;

namespace BatchOrchestrator.Engine.Tests.Support;

/// <summary>
/// The local engine (embedded durable runtime, SQLite records, file logs, local processes, the
/// encrypted secret file, every built-in operator) on a temporary project, with webhook retries
/// that wait milliseconds, not seconds, so retry tests stay short.
/// </summary>
internal sealed class OperationsEngine : IAsyncDisposable
{
    public static readonly DateTimeOffset SessionTime = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

    public static readonly HttpRetryPolicy FastRetry = new(3, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100));

    private readonly string _root = Directory.CreateTempSubdirectory("bo-ops-").FullName;
    private LocalEngine? _engine;

    private OperationsEngine() => Directory.CreateDirectory(ProjectDirectory);

    public string ProjectDirectory => Path.Combine(_root, "project");

    private string StateDirectory => Path.Combine(ProjectDirectory, ".bo");

    public IRunStore Runs => _engine!.Runs;

    public ISecretStore Secrets => _engine!.Secrets;

    public static async Task<OperationsEngine> StartAsync()
    {
        var engine = new OperationsEngine();
        engine._engine = await LocalEngine.StartAsync(
            new LocalEngineOptions(engine.StateDirectory)
            {
                ActivityWorkers = 4,
                SecretKey = new SecretKeySource(null, Path.Combine(engine._root, "secrets.key")),
                WebhookRetry = FastRetry,
            },
            CancellationToken.None);
        return engine;
    }

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
        var started = await _engine!.StartAsync(
            new AttemptRequest
            {
                ProjectDirectory = ProjectDirectory,
                WorkflowName = workflow,
                SessionTime = SessionTime,
                SessionParams = JsonSerializer.SerializeToElement(sessionParams ?? new { }),
            },
            guard.Token);
        var attemptId = started.AttemptId;
        var metadata = await _engine.Client.WaitForInstanceCompletionAsync(attemptId, getInputsAndOutputs: true, guard.Token);
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus, metadata.FailureDetails?.ErrorMessage);
        var outcome = metadata.ReadOutputAs<AttemptOutcome>()!;
        return new RunResult(attemptId, outcome, await _engine.Runs.GetTasksAsync(attemptId, guard.Token));
    }

    /// <summary>The attempt's record (its final status).</summary>
    public Task<AttemptRecord?> AttemptAsync(string attemptId) => _engine!.Runs.GetAttemptAsync(attemptId, CancellationToken.None);

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
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

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
