using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Storage.Files;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary>
/// The orchestrator gets its workflow from the LoadWorkflow activity: a store that fails for a
/// moment is retried by the activity's policy; a workflow that is missing or invalid fails the
/// attempt at once, with the message it always had.
/// </summary>
[TestClass]
public sealed class LoadWorkflowTests
{
    // Retries on a 1 ms durable timer, so a retried load costs the test no real waiting.
    private static readonly WorkflowEngineOptions QuickRetries = new() { LoadWorkflowRetry = new RetryPolicy(maxNumberOfAttempts: 3, firstRetryInterval: TimeSpan.FromMilliseconds(1)) };

    /// <summary>The local host's operators, which the workflows are checked against.</summary>
    private static readonly BatchOrchestrator.Engine.Operators.OperatorRegistry HostOperators = BatchOrchestrator.Server.Local.LocalOperators.Create([]);

    [TestMethod]
    public async Task A_store_that_fails_a_load_once_is_retried_and_the_attempt_succeeds()
    {
        FlakyRevisionStore? store = null;
        await using var project = await WorkflowProject.StartAsync(QuickRetries, revisions: state => store = new FlakyRevisionStore(state, failingLoads: [1]));
        project.Write("hello.dig", """
            +say:
              echo>: hi
            """);

        var run = await project.RunAsync("hello");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual(2, store!.Loads, "one failed load, one retried");
        Assert.AreEqual(2, await ScheduledLoadsAsync(project, run.AttemptId));
        Assert.AreEqual("hi\n", await project.LogAsync(run, "+hello+say"));
    }

    [TestMethod]
    public async Task A_called_workflow_whose_load_fails_once_is_retried_too()
    {
        FlakyRevisionStore? store = null;
        await using var project = await WorkflowProject.StartAsync(QuickRetries, revisions: state => store = new FlakyRevisionStore(state, failingLoads: [2]));
        project.Write("child.dig", """
            +produce:
              echo>: from the child
            """);
        project.Write("parent.dig", """
            +call_it:
              call>: child
            """);

        var run = await project.RunAsync("parent");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual(3, store!.Loads, "the parent's load, the child's failed load, its retry");
        Assert.AreEqual(1, run.Task("+parent+call_it").Tries, "the load's own policy retried it, not the task's");
    }

    [TestMethod]
    public async Task A_workflow_called_many_times_is_loaded_once_per_orchestration()
    {
        FlakyRevisionStore? store = null;
        await using var project = await WorkflowProject.StartAsync(QuickRetries, revisions: state => store = new FlakyRevisionStore(state, failingLoads: []));
        project.Write("child.dig", """
            +say:
              echo>: ${n}
            """);
        project.Write("parent.dig", """
            +twice:
              for_each>:
                n: [1, 2, 3]
              _do:
                call>: child
            +again:
              _export:
                n: 4
              call>: child
            """);

        var run = await project.RunAsync("parent");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual(2, store!.Loads, "the parent, and the child once for its four calls");
    }

    [TestMethod]
    public async Task A_workflow_split_into_many_parts_is_read_and_checked_once_whatever_its_size()
    {
        // Every part of a split group (a chunk orchestration) asks LoadWorkflow for its workflow.
        // Read and checked once per part, a workflow's load work grew with its size times its
        // number of parts: 10,000 echo> tasks took 36 s instead of about 1.
        FlakyRevisionStore? store = null;
        await using var project = await WorkflowProject.StartAsync(QuickRetries with { MaxChildrenPerOrchestration = 3 }, revisions: state => store = new FlakyRevisionStore(state, failingLoads: []));
        project.Write("small.dig", Echoes(4));
        project.Write("large.dig", Echoes(60));

        var small = await project.RunAsync("small");
        var smallLoads = store!.Loads;
        var large = await project.RunAsync("large");
        var largeLoads = store.Loads - smallLoads;

        Assert.IsTrue(small.Succeeded, small.Describe());
        Assert.IsTrue(large.Succeeded, large.Describe());
        Assert.AreEqual(60, large.Tasks.Count(t => t.State == TaskState.Success && t.TaskName.StartsWith("+large+n", StringComparison.Ordinal)));
        var lastPart = SubOrchestrationIds.Chunk(SubOrchestrationIds.Chunk(large.AttemptId, parentIsChunk: false, 3), parentIsChunk: true, 3);
        Assert.AreEqual(1, await ScheduledLoadsAsync(project, lastPart), "a part of a part asked for the workflow too");
        Assert.AreEqual(1, smallLoads);
        Assert.AreEqual(smallLoads, largeLoads, "loads of the 60-task workflow split in parts, against the 4-task one");
    }

    [TestMethod]
    public async Task A_part_of_a_split_group_stores_as_many_bytes_whatever_the_size_of_its_workflow()
    {
        // Each part gets the workflow's files from LoadWorkflow: kept in each part's history, they
        // made a 10,000-task run's database 110 MB and every replay of a part read them all.
        await using var project = await WorkflowProject.StartAsync(QuickRetries with { MaxChildrenPerOrchestration = 3 });
        project.Write("small.dig", Echoes(6));
        project.Write("large.dig", Echoes(6) + string.Concat(Enumerable.Range(0, 2000).Select(i => $"# a comment line that makes the file larger, {i}\n")));

        var small = await project.RunAsync("small");
        var large = await project.RunAsync("large");

        Assert.IsTrue(small.Succeeded, small.Describe());
        Assert.IsTrue(large.Succeeded, large.Describe());
        var smallPart = await PartHistoryBytesAsync(project, small.AttemptId);
        var largePart = await PartHistoryBytesAsync(project, large.AttemptId);
        Assert.IsGreaterThan(90_000, project.Read("large.dig").Length - project.Read("small.dig").Length);
        Assert.IsLessThan(smallPart + 200, largePart, $"bytes in a part's history: {smallPart} for the small workflow, {largePart} for the large one");
    }

    [TestMethod]
    public async Task A_missing_workflow_fails_the_attempt_at_once_naming_the_closest_one()
    {
        FlakyRevisionStore? store = null;
        await using var project = await WorkflowProject.StartAsync(QuickRetries, revisions: state => store = new FlakyRevisionStore(state, failingLoads: []));
        project.Write("daily.dig", """
            +say:
              echo>: hi
            """);

        var run = await project.RunAsync("dayly");

        Assert.IsFalse(run.Succeeded);
        var error = run.Outcome.Errors.Single();
        Assert.AreEqual("+dayly", error.TaskName);
        Assert.AreEqual("<input>: workflow 'dayly' is not in project project; did you mean 'daily'?", error.Message);
        Assert.AreEqual(1, store!.Loads, "an answer, not a failure: never retried");
        Assert.AreEqual(1, await ScheduledLoadsAsync(project, run.AttemptId));
        Assert.AreEqual(AttemptStatus.Error, (await project.Engine!.Runs.GetAttemptAsync(run.AttemptId, CancellationToken.None))!.Status);
    }

    [TestMethod]
    public async Task An_invalid_workflow_fails_the_attempt_at_once_with_its_positions()
    {
        FlakyRevisionStore? store = null;
        await using var project = await WorkflowProject.StartAsync(QuickRetries, revisions: state => store = new FlakyRevisionStore(state, failingLoads: []));
        project.Write("bad.dig", """
            +ok:
              echo>: hi
            +typo:
              shh>: echo hi
            """);

        var run = await project.RunAsync("bad");

        Assert.IsFalse(run.Succeeded);
        StringAssert.Contains(run.Outcome.Errors.Single().Message, "bad.dig:4:3: unknown operator 'shh>'; did you mean 'sh>'?");
        Assert.AreEqual(1, store!.Loads);
        Assert.IsEmpty(run.Tasks, "no task ran");
    }

    [TestMethod]
    public async Task The_main_jobs_workflow_source_is_its_dig_as_text_and_small()
    {
        var revision = await ProjectRevision.FromDirectoryAsync("workflows", RepositoryFolder("workflows"), CancellationToken.None);

        var source = await WorkflowSources.FromRevisionAsync(revision, HostOperators, "ad_report", CancellationToken.None);
        var json = JsonDataConverter.Default.Serialize(source)!;

        Assert.IsEmpty(source.Errors);
        CollectionAssert.AreEqual(new[] { "ad_report.dig" }, source.Files.Select(f => f.Path).ToArray(), "the .dig only: no scripts");
        Assert.AreEqual(await File.ReadAllTextAsync(RepositoryFolder("workflows/ad_report.dig")), source.Files[0].Text);
        Assert.AreEqual(RepositoryFolder("workflows"), source.WorkingDirectory);
        Assert.IsLessThan(4 * 1024, System.Text.Encoding.UTF8.GetByteCount(json), $"LoadWorkflow's output for ad_report.dig is {System.Text.Encoding.UTF8.GetByteCount(json)} bytes");
    }

    [TestMethod]
    public async Task A_workflow_checked_against_the_compilers_own_operators_is_compiled_from_that_check_only()
    {
        const string Text = "+a:\n  echo>: a\n+b:\n  echo>: b\n";
        var source = new WorkflowSource { Path = "main.dig", Files = [new WorkflowFile("main.dig", Text)] };
        // What the orchestrator gets: the activity's result after its trip through history.
        var received = (WorkflowSource)JsonDataConverter.Default.Deserialize(JsonDataConverter.Default.Serialize(source), typeof(WorkflowSource))!;
        var checkedResult = await new Language.Projects.WorkflowLoader(HostOperators).LoadTextAsync("main.dig", Text, CancellationToken.None);
        var sameHost = new WorkflowCompiler(new Language.Templating.TemplateEngine(), HostOperators);
        var otherHost = new WorkflowCompiler(new Language.Templating.TemplateEngine(), HostOperators);

        sameHost.Remember(source, checkedResult, HostOperators);
        otherHost.Remember(source, checkedResult, BatchOrchestrator.Server.Local.LocalOperators.Create([]));

        Assert.AreSame(checkedResult.Plan, (await sameHost.CompileAsync(received)).Plan, "the check's plan, not a second compile");
        var compiled = await otherHost.CompileAsync(received);
        Assert.AreNotSame(checkedResult.Plan, compiled.Plan, "checked against other operators: compiled here");
        CollectionAssert.AreEqual(checkedResult.Plan!.Tasks.Select(t => t.FullName).ToArray(), compiled.Plan.Tasks.Select(t => t.FullName).ToArray());
    }

    [TestMethod]
    public async Task Included_files_travel_with_the_workflow_and_call_targets_by_name_only()
    {
        var revision = ProjectRevision.Create("p", "/projects/p", new Dictionary<string, byte[]>
        {
            ["main.dig"] = "\uFEFF+a:\n  !include : 'tasks/a.dig'\n+b:\n  call>: other\n"u8.ToArray(),
            ["tasks/a.dig"] = "+inner:\n  echo>: ${'é'}\n"u8.ToArray(),
            ["other.dig"] = "+x:\n  echo>: x\n"u8.ToArray(),
            ["unused.dig"] = "+y:\n  echo>: y\n"u8.ToArray(),
        });

        var source = await WorkflowSources.FromRevisionAsync(revision, HostOperators, "main", CancellationToken.None);
        var compiled = await new WorkflowCompiler(new Language.Templating.TemplateEngine(), HostOperators).CompileAsync(source);

        CollectionAssert.AreEqual(new[] { "main.dig", "tasks/a.dig" }, source.Files.Select(f => f.Path).ToArray());
        StringAssert.StartsWith(source.Files[0].Text, "+a:", "the byte order mark is dropped, as the reader drops it");
        CollectionAssert.AreEqual(new[] { "other.dig" }, source.CallTargets.ToArray());
        CollectionAssert.AreEqual(new[] { "+main", "+main+a", "+main+a+inner", "+main+b" }, compiled.Plan.Tasks.Select(t => t.FullName).Order(StringComparer.Ordinal).ToArray());
        Assert.AreEqual("/projects/p", compiled.WorkingDirectory);
    }

    private static async Task<int> ScheduledLoadsAsync(WorkflowProject project, string attemptId) =>
        (await project.Engine!.Client.GetHistoryAsync(attemptId)).Count(e => e.EventType == HistoryEventType.TaskScheduled && e.Name == ActivityNames.LoadWorkflow);

    /// <summary>The bytes the runtime's database holds for the first part of the attempt: its history, as stored.</summary>
    private static async Task<long> PartHistoryBytesAsync(WorkflowProject project, string attemptId)
    {
        var part = SubOrchestrationIds.Chunk(attemptId, parentIsChunk: false, 1);
        Assert.IsNotEmpty(await project.Engine!.Client.GetHistoryAsync(part), "the group ran in parts");
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(project.StateDirectory, "runtime.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sum(length(event)) FROM history WHERE instance_id = $id";
        command.Parameters.AddWithValue("$id", part);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string Echoes(int count) => string.Concat(Enumerable.Range(1, count).Select(i => $"+n{i}:\n  echo>: {i}\n"));

    private static string RepositoryFolder(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BatchOrchestrator.sln")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new AssertFailedException("repository root not found");
    }

    /// <summary>The engine's file store, whose <see cref="LoadAsync"/> fails on the given calls (1-based) as an unreachable Blob would.</summary>
    private sealed class FlakyRevisionStore(string stateDirectory, IReadOnlyCollection<int> failingLoads) : IProjectRevisionStore
    {
        private readonly FileProjectRevisionStore _inner = new(Path.Combine(stateDirectory, "revisions"));
        private int _loads;

        public int Loads => Volatile.Read(ref _loads);

        public Task SaveAsync(ProjectRevision revision, CancellationToken cancellationToken) => _inner.SaveAsync(revision, cancellationToken);

        public ProjectRevision? Load(string revisionId) => _inner.Load(revisionId);

        public Task<ProjectRevision?> LoadAsync(string revisionId, CancellationToken cancellationToken) =>
            failingLoads.Contains(Interlocked.Increment(ref _loads))
                ? throw new IOException("the revision store is unreachable (seeded)")
                : _inner.LoadAsync(revisionId, cancellationToken);
    }
}
