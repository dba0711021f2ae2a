using BatchOrchestrator.Engine.Hosting;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Runtime;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Storage.Blob;
using BatchOrchestrator.Storage.Blob.Operators;
using BatchOrchestrator.Storage.Files;
using BatchOrchestrator.Storage.Sqlite;

namespace BatchOrchestrator.Engine.Tests.Support.Blob;

/// <summary>
/// The engine as a host on Azure composes it, with Blob storage for everything Blob can hold:
/// task logs in append blobs, persistent params in Blob, and the <c>blob_wait&gt;</c>/<c>blob&gt;</c>
/// operators registered by name — over the embedded durable runtime and SQLite records, in a real
/// Azurite. (The local engine reads its Blob account from the environment, so this host composes
/// its own, with the engine's builder as every host does.)
/// </summary>
internal sealed class BlobWorkflowHost : IAsyncDisposable
{
    private static readonly DateTimeOffset SessionTime = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

    private readonly string _root;
    private readonly DurableRuntime _runtime;
    private readonly EngineParts _engine;
    private readonly SqliteRunStore _runs;
    private readonly AttemptLauncher _attempts;

    private BlobWorkflowHost(DurableRuntime runtime, EngineParts engine, SqliteRunStore runs, BlobLogStore logs, string root)
    {
        _runtime = runtime;
        _engine = engine;
        _runs = runs;
        _root = root;
        _attempts = engine.Launch(runtime.Client);
        Logs = logs;
    }

    public BlobLogStore Logs { get; }

    public string ProjectDirectory => Path.Combine(_root, "project");

    /// <param name="connectionString">The account of the logs, the params and the operators' default.</param>
    /// <param name="container">The container of the logs and the params.</param>
    public static async Task<BlobWorkflowHost> StartAsync(string connectionString, string container, CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("bo-blob-host-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "project"));
        var account = BlobAccount.FromConnectionString(connectionString);
        var containerClient = account.CreateClient().GetBlobContainerClient(container);
        var logs = new BlobLogStore(containerClient, "logs");
        var parameters = new BlobParamStore(containerClient, "params");
        var revisions = new FileProjectRevisionStore(Path.Combine(root, "state", "revisions"));
        var runs = await SqliteRunStore.OpenAsync(Path.Combine(root, "state", "runs.db"), cancellationToken);

        var engine = EngineBuilder.Build(new EngineOptions
        {
            Logs = logs,
            Runs = runs,
            Params = parameters,
            Revisions = revisions,
            Operators = EngineBuilder.Operators(new BlobOperators(account).Definitions),
        });
        var runtime = await DurableRuntime.StartAsync(
            new DurableRuntimeOptions { DatabasePath = Path.Combine(root, "state", "runtime.db"), ActivityWorkers = 2 },
            new OrchestrationRegistry().AddWorkflows(engine.Functions),
            cancellation: cancellationToken);
        return new BlobWorkflowHost(runtime, engine, runs, logs, root);
    }

    public void Write(string relativePath, string text) => File.WriteAllText(Path.Combine(ProjectDirectory, relativePath), text);

    /// <summary>Starts an attempt of a workflow of the project folder (as project <paramref name="project"/>); returns its id.</summary>
    public async Task<string> StartAttemptAsync(string project, string workflow, CancellationToken cancellationToken) =>
        (await _attempts.StartAsync(
            new AttemptRequest { ProjectDirectory = ProjectDirectory, ProjectName = project, WorkflowName = workflow, SessionTime = SessionTime },
            cancellationToken)).AttemptId;

    /// <summary>Waits for an attempt to end: its outcome and its tasks' records.</summary>
    public async Task<RunResult> WaitAsync(string attemptId, CancellationToken cancellationToken) =>
        new(attemptId, await _attempts.WaitAsync(attemptId, cancellationToken), await _runs.GetTasksAsync(attemptId, cancellationToken));

    /// <summary>Waits until a task's log holds some text (the task reached that point), polling the log store.</summary>
    public async Task<string> WaitForLogAsync(string attemptId, string taskName, string expected, CancellationToken cancellationToken)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(TimeSpan.FromMinutes(1));
        cancellationToken = guard.Token;
        while (true)
        {
            var record = (await _runs.GetTasksAsync(attemptId, cancellationToken)).SingleOrDefault(t => t.TaskName == taskName);
            if (record?.LogReference is { } reference)
            {
                var text = await ReadLogAsync(reference, cancellationToken);
                if (text.Contains(expected, StringComparison.Ordinal))
                {
                    return text;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    /// <summary>The whole text of a task's log, by its recorded reference.</summary>
    public async Task<string> ReadLogAsync(string logReference, CancellationToken cancellationToken)
    {
        var key = TaskLogKey.FromReference(logReference) ?? throw new ArgumentException($"not a log reference: {logReference}", nameof(logReference));
        var text = new System.Text.StringBuilder();
        for (long offset = 0; ;)
        {
            var chunk = await Logs.ReadAsync(key, offset, cancellationToken);
            if (chunk.Text.Length == 0)
            {
                return text.ToString();
            }

            text.Append(chunk.Text);
            offset = chunk.NextOffset;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _runtime.DisposeAsync();
        await _engine.DisposeAsync();
        await _runs.DisposeAsync();
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
