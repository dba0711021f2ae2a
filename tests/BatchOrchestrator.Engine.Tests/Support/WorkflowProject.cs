using System.Text.Json;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Server.Local;
using BatchOrchestrator.Storage.Files;

namespace BatchOrchestrator.Engine.Tests.Support;

/// <summary>
/// A project folder with workflow files and a local engine on its state folder: runs workflows
/// exactly as <c>bo run</c> does (embedded runtime, SQLite records, file logs, local processes).
/// </summary>
internal sealed class WorkflowProject : IAsyncDisposable
{
    public static readonly DateTimeOffset SessionTime = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

    private readonly string _root = Directory.CreateTempSubdirectory("bo-engine-").FullName;

    private readonly IReadOnlyList<Func<ILogStore, Engine.Executors.ICommandExecutor>> _extraExecutors;

    private readonly Func<string, Engine.Projects.IProjectRevisionStore>? _revisions;

    private readonly Engine.Telemetry.EngineTelemetry? _telemetry;

    private WorkflowProject(WorkflowEngineOptions options, IReadOnlyList<Func<ILogStore, Engine.Executors.ICommandExecutor>>? extraExecutors = null, Func<string, Engine.Projects.IProjectRevisionStore>? revisions = null, Engine.Telemetry.EngineTelemetry? telemetry = null)
    {
        _telemetry = telemetry;
        Options = options;
        _extraExecutors = extraExecutors ?? [];
        _revisions = revisions;
        Directory.CreateDirectory(Path.Combine(_root, "project"));
    }

    public WorkflowEngineOptions Options { get; }

    public string Directory_ => Path.Combine(_root, "project");

    /// <summary>The state folder (<c>.bo</c>) of the project.</summary>
    public string StateDirectory => Path.Combine(Directory_, ".bo");

    /// <summary>A key file of this project's own: tests never read or create the user's key.</summary>
    public SecretKeySource SecretKey => new(null, Path.Combine(_root, "secrets.key"));

    public LocalEngine? Engine { get; private set; }

    /// <param name="options">Engine options.</param>
    /// <param name="extraExecutors">Executors to register besides the local one (each made over the engine's log store).</param>
    /// <param name="revisions">The revision store, made from the state folder (the engine's own file store when null).</param>
    /// <param name="telemetry">The engines' metrics and spans, kept across restarts (each engine's own when null).</param>
    public static async Task<WorkflowProject> StartAsync(WorkflowEngineOptions? options = null, IReadOnlyList<Func<ILogStore, Engine.Executors.ICommandExecutor>>? extraExecutors = null, Func<string, Engine.Projects.IProjectRevisionStore>? revisions = null, Engine.Telemetry.EngineTelemetry? telemetry = null)
    {
        var project = new WorkflowProject(options ?? new WorkflowEngineOptions(), extraExecutors, revisions, telemetry);
        await project.RestartAsync();
        return project;
    }

    public async Task RestartAsync()
    {
        if (Engine is not null)
        {
            await Engine.DisposeAsync();
        }

        Engine = await LocalEngine.StartAsync(new LocalEngineOptions(StateDirectory) { ActivityWorkers = 4, Engine = Options, SecretKey = SecretKey, ExtraExecutors = _extraExecutors, Revisions = _revisions?.Invoke(StateDirectory), Telemetry = _telemetry }, CancellationToken.None);
    }

    public string Write(string relativePath, string text)
    {
        var path = Path.Combine(Directory_, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Copies a folder's files into the project (skipping the state folder and <paramref name="except"/>).</summary>
    public void CopyFrom(string source, string except)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            var first = relative.Split(Path.DirectorySeparatorChar)[0];
            if (first is ".bo" or "__pycache__" || first == except)
            {
                continue;
            }

            var target = Path.Combine(Directory_, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public string Read(string relativePath) => File.ReadAllText(Path.Combine(Directory_, relativePath));

    public bool Exists(string relativePath) => File.Exists(Path.Combine(Directory_, relativePath));

    public async Task<RunResult> RunAsync(string workflow, object? sessionParams = null, string? retryName = null, ResumeMode resume = ResumeMode.None, string? resumeFrom = null, string? fromTask = null, DateTimeOffset? sessionTime = null)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var started = await StartAsync(workflow, sessionParams, retryName, resume, resumeFrom, fromTask, guard.Token, sessionTime);
        return await WaitAsync(started.AttemptId, guard.Token);
    }

    public async Task<RunResult> WaitAsync(string attemptId, CancellationToken cancellationToken)
    {
        var outcome = await Engine!.WaitAsync(attemptId, cancellationToken);
        var tasks = await Engine.Runs.GetTasksAsync(attemptId, cancellationToken);
        return new RunResult(attemptId, outcome, tasks);
    }

    /// <summary>Waits (polling the run store, with a guard timeout) until a task has the given state.</summary>
    public async Task WaitForTaskAsync(string attemptId, string taskName, TaskState state)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while ((await Engine!.Runs.GetTasksAsync(attemptId, guard.Token)).SingleOrDefault(t => t.TaskName == taskName)?.State != state)
        {
            await Task.Delay(20, guard.Token);
        }
    }

    public Task<StartedAttempt> StartAsync(string workflow, object? sessionParams = null, string? retryName = null, ResumeMode resume = ResumeMode.None, string? resumeFrom = null, string? fromTask = null, CancellationToken cancellationToken = default, DateTimeOffset? sessionTime = null)
    {
        return Engine!.StartAsync(
            new AttemptRequest
            {
                ProjectDirectory = Directory_,
                WorkflowName = workflow,
                SessionTime = sessionTime ?? SessionTime,
                SessionParams = JsonSerializer.SerializeToElement(sessionParams ?? new { }),
                RetryAttemptName = retryName,
                Resume = resume,
                ResumeFromAttemptId = resumeFrom,
                ResumeFromTask = fromTask,
            },
            cancellationToken);
    }

    /// <summary>The log of a task's last try.</summary>
    public async Task<string> LogAsync(RunResult run, string taskName)
    {
        var record = run.Task(taskName);
        Assert.IsNotNull(record.LogReference, $"{taskName} has no log");
        return await File.ReadAllTextAsync(Path.Combine(Directory_, ".bo", "logs", record.LogReference));
    }

    public async ValueTask DisposeAsync()
    {
        if (Engine is not null)
        {
            await Engine.DisposeAsync();
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

/// <summary>How an attempt ended, with every task's record.</summary>
internal sealed record RunResult(string AttemptId, AttemptOutcome Outcome, IReadOnlyList<TaskRecord> Tasks)
{
    public bool Succeeded => Outcome.Succeeded;

    public TaskRecord Task(string name) =>
        Tasks.SingleOrDefault(t => t.TaskName == name) ?? throw new AssertFailedException($"no record of {name}; records: {string.Join(", ", Tasks.Select(t => t.TaskName))}");

    public string Describe() =>
        $"outcome: {(Succeeded ? "success" : string.Join("; ", Outcome.Errors.Select(e => $"{e.TaskName}: {e.Message}")))}{Environment.NewLine}" +
        string.Join(Environment.NewLine, Tasks.Select(t => $"{t.TaskName} {t.State} tries={t.Tries} {t.Error}"));
}
