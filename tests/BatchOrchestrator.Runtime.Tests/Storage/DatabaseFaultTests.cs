using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Storage;
using BatchOrchestrator.Runtime.Tests.Support;

namespace BatchOrchestrator.Runtime.Tests.Storage;

[TestClass]
public sealed class DatabaseFaultTests
{
    private static OrchestrationRegistry Registry() => new OrchestrationRegistry()
        .AddActivity<string, int>("Length", s => s.Length)
        .AddOrchestrator<string, int>("Measure", (context, s) => context.CallActivityAsync<int>("Length", s));

    [TestMethod]
    public async Task A_second_runtime_on_the_same_database_is_refused_with_a_clear_error()
    {
        await using var first = await TestRuntime.StartAsync(Registry());

        var error = await Assert.ThrowsExactlyAsync<DurableStoreException>(
            () => DurableRuntime.StartAsync(first.Options, Registry()));

        Assert.Contains("is in use by another runtime", error.Message);
        Assert.AreEqual(StoreFailure.InUse, error.Failure);
        Assert.AreEqual(3, (await first.RunAsync("Measure", "abc")).ReadOutputAs<int>(), "the first runtime is unaffected");
    }

    [TestMethod]
    public async Task A_runtime_holds_its_database_while_its_host_still_composes_the_registry_and_runs_once_given_it()
    {
        using var directory = new TempDirectory();
        var options = new DurableRuntimeOptions { DatabasePath = directory.File("runtime.db") };
        var registry = new TaskCompletionSource<OrchestrationRegistry>(TaskCreationOptions.RunContinuationsAsynchronously);
        var starting = DurableRuntime.StartAsync(options, registry.Task);

        // The database is opened before the registry exists: a second runtime is already refused.
        var error = await Assert.ThrowsExactlyAsync<DurableStoreException>(() => DurableRuntime.StartAsync(options, Registry()));
        Assert.Contains("is in use by another runtime", error.Message);

        registry.SetResult(Registry());
        await using var runtime = await starting;
        Assert.AreEqual(4, await MeasureAsync(runtime, "abcd"));
    }

    [TestMethod]
    public async Task A_start_whose_registry_fails_reports_that_failure_and_leaves_the_database_free()
    {
        using var directory = new TempDirectory();
        var options = new DurableRuntimeOptions { DatabasePath = directory.File("runtime.db") };

        var error = await Assert.ThrowsExactlyAsync<InvalidOperationException>(
            () => DurableRuntime.StartAsync(options, Task.FromException<OrchestrationRegistry>(new InvalidOperationException("composition failed"))));

        Assert.AreEqual("composition failed", error.Message);
        await using var next = await DurableRuntime.StartAsync(options, Registry());
        Assert.AreEqual(3, await MeasureAsync(next, "abc"));
    }

    private static async Task<int> MeasureAsync(DurableRuntime runtime, string text)
    {
        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Measure", text);
        using var guard = new CancellationTokenSource(Timeouts.Guard);
        return (await runtime.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, guard.Token)).ReadOutputAs<int>();
    }

    [TestMethod]
    public async Task A_file_that_is_not_a_database_gives_a_clear_error()
    {
        using var directory = new TempDirectory();
        var path = directory.File("corrupt.db");
        await File.WriteAllTextAsync(path, new string('x', 8192));

        var error = await Assert.ThrowsExactlyAsync<DurableStoreException>(
            () => DurableRuntime.StartAsync(new DurableRuntimeOptions { DatabasePath = path }, Registry()));

        Assert.Contains("not a SQLite database or is corrupt", error.Message);
        Assert.Contains(path, error.Message);
        Assert.AreEqual(StoreFailure.Corrupt, error.Failure);
        Assert.AreEqual(path, error.Path);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("-wal")]
    [DataRow(".lock")]
    public async Task A_folder_where_the_database_or_a_file_beside_it_belongs_is_named(string suffix)
    {
        using var directory = new TempDirectory();
        var path = directory.File("runtime.db");
        var folder = Directory.CreateDirectory(path + suffix).FullName;

        var error = await Assert.ThrowsExactlyAsync<DurableStoreException>(
            () => DurableRuntime.StartAsync(new DurableRuntimeOptions { DatabasePath = path }, Registry()));

        Assert.AreEqual(StoreFailure.WrongKind, error.Failure, error.Message);
        Assert.AreEqual(folder, error.Path);
        Assert.Contains($"'{folder}' is a folder, not a file", error.Message);
    }

    [TestMethod]
    public async Task A_read_only_database_gives_a_clear_error()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Inconclusive("This test makes a file read-only the Linux way.");
            return;
        }

        using var directory = new TempDirectory();
        var path = directory.File("readonly.db");
        await (await DurableRuntime.StartAsync(new DurableRuntimeOptions { DatabasePath = path }, Registry())).DisposeAsync();
        using var readOnly = await ReadOnlyFile.MakeAsync(path);

        var error = await Assert.ThrowsExactlyAsync<DurableStoreException>(
            () => DurableRuntime.StartAsync(new DurableRuntimeOptions { DatabasePath = path }, Registry()));

        Assert.Contains("is read-only", error.Message);
        Assert.Contains(path, error.Message);
        Assert.AreEqual(StoreFailure.ReadOnly, error.Failure);
        Assert.AreEqual(path, error.Path);
    }

    [TestMethod]
    public async Task A_full_database_fails_the_commit_cleanly_and_the_instance_completes_once_there_is_room()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry(), o => o with { MaxDatabaseBytes = 256 * 1024 });
        var small = await runtime.RunAsync("Measure", "ok");

        // The input fits in memory but not in the database: the client gets a clear error, nothing is half-written.
        var error = await Assert.ThrowsExactlyAsync<DurableStoreException>(
            () => runtime.Client.ScheduleNewOrchestrationInstanceAsync("Measure", new string('x', 1024 * 1024), new StartOrchestrationOptions("too-big")));
        Assert.Contains("full", error.Message);
        Assert.AreEqual(StoreFailure.Full, error.Failure);
        Assert.IsNull(await runtime.Client.GetInstanceAsync("too-big"));

        // An activity result too big for the quota: its commit fails and is retried, the instance waits intact.
        var registry = new OrchestrationRegistry()
            .AddActivity<int, string>("Big", n => new string('y', n))
            .AddOrchestrator<int, int>("MakesBig", async (context, n) => (await context.CallActivityAsync<string>("Big", n)).Length);
        await runtime.RestartAsync(registry);
        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("MakesBig", 400 * 1024);
        await runtime.WaitForHistoryAsync(id, HistoryEventType.TaskScheduled);
        Assert.AreEqual(OrchestrationRuntimeStatus.Running, (await runtime.Client.GetInstanceAsync(id))!.RuntimeStatus);

        await runtime.RestartAsync(registry, o => o with { MaxDatabaseBytes = null });

        Assert.AreEqual(400 * 1024, (await runtime.WaitAsync(id)).ReadOutputAs<int>());
        Assert.AreEqual(2, small.ReadOutputAs<int>());
    }
}
