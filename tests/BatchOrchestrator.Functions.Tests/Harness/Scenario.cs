using System.Text.Json;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;

namespace BatchOrchestrator.Functions.Tests.Harness;

/// <summary>
/// One scenario on one runtime: a copy of the scenario's workflow folder (its scripts write their
/// outputs there), the runtime on a state folder of its own, and what a test does with them —
/// start sessions, wait for attempts, retry, kill, read records, logs and output files. Every wait
/// is bounded by the scenario's guard.
/// </summary>
internal sealed class Scenario : IAsyncDisposable
{
    public static readonly DateTimeOffset SessionTime = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(3);

    private readonly string _root;
    private readonly CancellationTokenSource _guard = new(Guard);

    private Scenario(string root, IConformanceRuntime runtime, ProjectFolder project)
    {
        _root = root;
        Runtime = runtime;
        Project = project;
    }

    public IConformanceRuntime Runtime { get; }

    public ProjectFolder Project { get; }

    public IRunStore Runs => Runtime.Launcher.Runs;

    public CancellationToken Cancellation => _guard.Token;

    /// <summary>Gives what follows the whole guard again: a test that runs session after session bounds each one, not their sum.</summary>
    public void RestartGuard() => _guard.CancelAfter(Guard);

    /// <summary>The scenario folder <c>Scenarios/<paramref name="name"/></c> as a project of that name, on a runtime made by <paramref name="start"/>.</summary>
    public static Task<Scenario> StartAsync(string name, Func<string, CancellationToken, Task<IConformanceRuntime>> start) =>
        StartAsync(name, Path.Combine(AppContext.BaseDirectory, "Scenarios", name), start);

    /// <summary>A copy of <paramref name="source"/> as a project named <paramref name="name"/>, on a runtime made by <paramref name="start"/>.</summary>
    public static async Task<Scenario> StartAsync(string name, string source, Func<string, CancellationToken, Task<IConformanceRuntime>> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var root = Directory.CreateTempSubdirectory("bo-conf-").FullName;
        var project = Path.Combine(root, "projects", name);
        Copy(source, project);
        var runtime = await start(root, CancellationToken.None);
        return new Scenario(root, runtime, new ProjectFolder(project, name));
    }

    /// <summary>The Functions app's shipped <c>workflows/</c> project (<see cref="IConformanceRuntime.ShippedProjectAsync"/>).</summary>
    public static async Task<Scenario> StartShippedAsync(Func<string, CancellationToken, Task<IConformanceRuntime>> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var root = Directory.CreateTempSubdirectory("bo-conf-").FullName;
        var runtime = await start(root, CancellationToken.None);
        return new Scenario(root, runtime, await runtime.ShippedProjectAsync(CancellationToken.None));
    }

    public Task<StartedAttempt> StartAsync(string workflow, object? sessionParams = null, DateTimeOffset? sessionTime = null) =>
        Runtime.Launcher.StartAsync(
            new AttemptRequest
            {
                ProjectDirectory = Project.Directory,
                ProjectName = Project.Name,
                Revision = Project.Revision,
                WorkflowName = workflow,
                SessionTime = sessionTime ?? SessionTime,
                SessionParams = JsonSerializer.SerializeToElement(sessionParams ?? new { }),
            },
            Cancellation);

    public async Task<Run> RunAsync(string workflow, object? sessionParams = null, DateTimeOffset? sessionTime = null)
    {
        var started = await StartAsync(workflow, sessionParams, sessionTime);
        Assert.IsTrue(started.IsNew, $"{started.AttemptId} was started before");
        return await WaitAsync(started.AttemptId);
    }

    public async Task<Run> WaitAsync(string attemptId)
    {
        var outcome = await Runtime.Launcher.WaitAsync(attemptId, Cancellation);
        return await ReadAsync(attemptId, outcome);
    }

    /// <summary>The attempt's records as they are now (after a kill, say), with the outcome a wait would give.</summary>
    public async Task<Run> ReadAsync(string attemptId, AttemptOutcome? outcome = null)
    {
        var attempt = await Runs.GetAttemptAsync(attemptId, Cancellation) ?? throw new AssertFailedException($"no record of attempt {attemptId}");
        var tasks = await Runs.GetTasksAsync(attemptId, Cancellation);
        return new Run(Runtime.Name, attempt, outcome, tasks);
    }

    /// <summary>Retries a finished attempt as <c>bo retry</c> and the API do (<see cref="AttemptRetries"/>), with the project's current files, and waits for it.</summary>
    public async Task<Run> RetryAsync(Run original, ResumeMode mode, string? fromTask = null, object? sessionParams = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        var revision = await ProjectRevision.FromDirectoryAsync(Project.Name, Project.Directory, Cancellation);
        await Runtime.Launcher.Revisions.SaveAsync(revision, Cancellation);
        var definition = new RevisionPlanSource(Runtime.Launcher.Revisions, Runtime.Operators).Get(new PlanReference(revision.Id, original.Attempt.Session.Workflow)).Definition;
        var retry = await AttemptRetries.StartAsync(
            Runtime.Launcher,
            new RetryRequest
            {
                Original = original.Attempt,
                Mode = mode,
                FromTask = fromTask,
                Params = sessionParams is null ? null : JsonSerializer.SerializeToNode(sessionParams)!.AsObject(),
                Definition = definition,
                ProjectDirectory = Project.Directory,
                Revision = revision.Id,
            },
            Cancellation);
        Assert.IsTrue(retry.Attempt.IsNew, $"{retry.Attempt.AttemptId} was started before");
        return await WaitAsync(retry.Attempt.AttemptId);
    }

    public Task<bool> KillAsync(string attemptId) => Runtime.Launcher.KillAsync(attemptId, Cancellation);

    /// <summary>Polls the run store until a task is in <paramref name="state"/>: what a person watching <c>bo tasks</c> would see.</summary>
    public async Task WaitForTaskAsync(string attemptId, string taskName, TaskState state)
    {
        while ((await Runs.GetTasksAsync(attemptId, Cancellation)).SingleOrDefault(t => t.TaskName == taskName)?.State != state)
        {
            await Task.Delay(20, Cancellation);
        }
    }

    /// <summary>Polls until a script has written a file (non-empty).</summary>
    public async Task WaitForFileAsync(string relativePath)
    {
        while (!Exists(relativePath) || new FileInfo(PathOf(relativePath)).Length == 0)
        {
            await Task.Delay(20, Cancellation);
        }
    }

    /// <summary>The text of a task's last try's log.</summary>
    public async Task<string> LogAsync(Run run, string taskName)
    {
        ArgumentNullException.ThrowIfNull(run);
        var record = run.Task(taskName);
        Assert.IsNotNull(record.LogReference, $"{taskName} has no log");
        var key = TaskLogKey.FromReference(record.LogReference) ?? throw new AssertFailedException($"{record.LogReference} is not a log reference");
        var text = new System.Text.StringBuilder();
        long offset = 0;
        while (true)
        {
            var chunk = await Runtime.Logs.ReadAsync(key, offset, Cancellation);
            if (chunk.Text.Length == 0)
            {
                return text.ToString();
            }

            text.Append(chunk.Text);
            offset = chunk.NextOffset;
        }
    }

    public string PathOf(string relativePath) => Path.Combine(Project.Directory, relativePath);

    public string Read(string relativePath) => File.ReadAllText(PathOf(relativePath));

    public string[] Lines(string relativePath) => Read(relativePath).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public bool Exists(string relativePath) => File.Exists(PathOf(relativePath));

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        _guard.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is not worth failing a test over.
        }
    }

    private static void Copy(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}

/// <summary>An attempt as its records say, with the outcome its wait returned (null when not waited for).</summary>
internal sealed record Run(string Runtime, AttemptRecord Attempt, AttemptOutcome? Outcome, IReadOnlyList<TaskRecord> Tasks)
{
    public string AttemptId => Attempt.AttemptId;

    public TaskRecord Task(string name) =>
        Tasks.SingleOrDefault(t => t.TaskName == name) ?? throw new AssertFailedException($"[{Runtime}] no record of {name}; records: {string.Join(", ", Tasks.Select(t => t.TaskName))}");

    /// <summary>Each task's name, state and tries, in record order, e.g. <c>+wf+a Success 1</c>.</summary>
    public IReadOnlyList<string> States => [.. Tasks.Select(t => $"{t.TaskName} {t.State} {t.Tries}")];

    /// <summary>Each failed task and its error, e.g. <c>+wf+a: boom</c>.</summary>
    public IReadOnlyList<string> Errors => [.. (Outcome?.Errors ?? []).Select(e => $"{e.TaskName}: {e.Message}")];

    public string Describe() =>
        $"[{Runtime}] attempt {AttemptId} {Attempt.Status}; outcome: {(Outcome is null ? "-" : Outcome.Succeeded ? "success" : string.Join("; ", Errors))}{Environment.NewLine}" +
        string.Join(Environment.NewLine, Tasks.Select(t => $"  {t.TaskName} {t.State} tries={t.Tries} {t.Error}"));

    /// <summary>The task's store params as compact JSON with its keys in order (or null): a script's dictionary has no order of its own.</summary>
    public string? StoreParams(string taskName) => Task(taskName).StoreParams is { } stored ? Sorted(System.Text.Json.Nodes.JsonNode.Parse(stored.GetRawText()))?.ToJsonString() : null;

    private static System.Text.Json.Nodes.JsonNode? Sorted(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => new System.Text.Json.Nodes.JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value?.DeepClone())))),
        _ => node?.DeepClone(),
    };
}
