using System.Globalization;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Storage;
using BatchOrchestrator.Runtime.Tests.Support;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Runtime.Tests.Storage;

[TestClass]
public sealed class DatabaseFaultTests
{
    private static OrchestrationRegistry Registry() => new OrchestrationRegistry()
        .AddActivity<string, int>("Length", s => s.Length)
        .AddOrchestrator<string, int>("Measure", (context, s) => context.CallActivityAsync<int>("Length", s));

    private static Task<DurableRuntime> StartOnAsync(string path) => DurableRuntime.StartAsync(new DurableRuntimeOptions { DatabasePath = path }, Registry());

    [TestMethod]
    public async Task A_second_runtime_on_the_same_database_is_refused_with_a_clear_error()
    {
        await using var first = await TestRuntime.StartAsync(Registry());

        var error = await Assert.ThrowsExactlyAsync<DurableStoreException>(
            () => DurableRuntime.StartAsync(first.Options, Registry()));

        Assert.Contains("is in use by another runtime", error.Message);
        Assert.AreEqual(3, (await first.RunAsync("Measure", "abc")).ReadOutputAs<int>(), "the first runtime is unaffected");
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
    }

    [TestMethod]
    public async Task A_database_a_stopped_process_left_open_is_checked_whole_at_start()
    {
        using var directory = new TempDirectory();
        var path = directory.File("runtime.db");
        await DamagedHistoryAfterACleanStopAsync(path);
        // What a process leaves when it stops without closing the database (a crash, a power loss).
        await File.WriteAllBytesAsync(path + "-wal", []);

        var error = await Assert.ThrowsExactlyAsync<DurableStoreException>(() => StartOnAsync(path));

        Assert.Contains("corrupt", error.Message);
        Assert.Contains(path, error.Message);
    }

    [TestMethod]
    public async Task A_start_after_a_clean_stop_reads_only_what_it_needs_and_damage_is_reported_where_it_is_read()
    {
        using var directory = new TempDirectory();
        var path = directory.File("runtime.db");
        await DamagedHistoryAfterACleanStopAsync(path);

        // The whole file is not checked (it would be read in proportion to the history kept); the
        // history is read when an instance is replayed or its history asked for, and fails there.
        await using var runtime = await StartOnAsync(path);
        var error = await Assert.ThrowsExactlyAsync<DurableStoreException>(() => runtime.Client.GetHistoryAsync("measured"));

        Assert.Contains("corrupt", error.Message);
    }

    /// <summary>A runtime that ran one instance and stopped cleanly, then the page of its history table overwritten.</summary>
    private static async Task DamagedHistoryAfterACleanStopAsync(string path)
    {
        await using (var runtime = await StartOnAsync(path))
        {
            await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Measure", "abc", new StartOrchestrationOptions("measured"));
            using var guard = new CancellationTokenSource(Timeouts.Guard);
            Assert.AreEqual(OrchestrationRuntimeStatus.Completed, (await runtime.Client.WaitForInstanceCompletionAsync("measured", cancellation: guard.Token)).RuntimeStatus);
        }

        Assert.IsFalse(File.Exists(path + "-wal"), "a clean stop deletes the -wal file");
        long offset;
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var root = connection.CreateCommand();
            root.CommandText = "SELECT rootpage FROM sqlite_master WHERE name = 'history'";
            var page = Convert.ToInt64(root.ExecuteScalar(), CultureInfo.InvariantCulture);
            using var size = connection.CreateCommand();
            size.CommandText = "PRAGMA page_size";
            offset = (page - 1) * Convert.ToInt64(size.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        await using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.Position = offset;
        await file.WriteAsync(new byte[64]); // the b-tree page header: no valid page type any more
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
