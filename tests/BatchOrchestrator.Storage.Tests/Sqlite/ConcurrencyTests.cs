using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Sqlite;
using static BatchOrchestrator.Storage.Tests.Sqlite.Records;

namespace BatchOrchestrator.Storage.Tests.Sqlite;

[TestClass]
public sealed class ConcurrencyTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Ct => TestContext.CancellationToken;

    [TestMethod]
    public async Task ManyConcurrentWritersLeaveOneRowPerTaskInItsLastState()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);
        const int taskCount = 500;
        // Each task is written by several "deliveries" racing in any order: ready, running,
        // success of try 1, and a re-delivered running of try 1 — the outcome must be success.
        var writes = Enumerable.Range(0, taskCount).SelectMany(i => new[]
        {
            TaskRow("a1", $"+wf+t{i}", TaskState.Ready),
            TaskRow("a1", $"+wf+t{i}", TaskState.Running),
            TaskRow("a1", $"+wf+t{i}", TaskState.Success),
            TaskRow("a1", $"+wf+t{i}", TaskState.Running),
        });

        await Task.WhenAll(writes.Select(record =>
            Task.Run(() => store.UpsertTaskAsync(record, Ct), Ct)));

        var tasks = await store.GetTasksAsync("a1", Ct);
        Assert.HasCount(taskCount, tasks);
        Assert.IsTrue(tasks.All(t => t.State == TaskState.Success));
        Assert.AreEqual(taskCount, tasks.Select(t => t.TaskName).Distinct().Count());
    }

    [TestMethod]
    public async Task TwoStoresOnOneFileWriteAtTheSameTime()
    {
        using var folder = new TempFolder();
        var path = folder.File("runs.db");
        await using var first = await SqliteRunStore.OpenAsync(path, Ct);
        await using var second = await SqliteRunStore.OpenAsync(path, Ct);

        await Task.WhenAll(
            Enumerable.Range(0, 200).Select(i => (i % 2 == 0 ? first : second)
                .UpsertTaskAsync(TaskRow("a1", $"+wf+t{i}", TaskState.Success), Ct)));

        Assert.HasCount(200, await first.GetTasksAsync("a1", Ct));
        Assert.HasCount(200, await second.GetTasksAsync("a1", Ct));
    }

    [TestMethod]
    public async Task TwoStoresAssignDistinctIndexesToNewAttempts()
    {
        using var folder = new TempFolder();
        var path = folder.File("runs.db");
        await using var first = await SqliteRunStore.OpenAsync(path, Ct);
        await using var second = await SqliteRunStore.OpenAsync(path, Ct);
        var session = Session();

        var attempts = await Task.WhenAll(
            Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? first : second)
                .UpsertAttemptAsync(Attempt(session, $"retry{i}"), Ct)));

        CollectionAssert.AreEquivalent(Enumerable.Range(1, 20).ToArray(), attempts.Select(a => a.Index).ToArray());
    }

    [TestMethod]
    public async Task AReaderOnAnotherConnectionSeesWholeBatchesWhileTheWriterWrites()
    {
        using var folder = new TempFolder();
        var path = folder.File("runs.db");
        await using var writer = await SqliteRunStore.OpenAsync(path, Ct);
        await using var reader = await SqliteRunStore.OpenAsync(path, Ct);
        const int batches = 20;
        const int batchSize = 500;

        var writing = Task.Run(
            async () =>
            {
                for (var b = 0; b < batches; b++)
                {
                    await writer.UpsertTasksAsync(
                        Enumerable.Range(0, batchSize).Select(i => TaskRow("a1", $"+wf+b{b}t{i}", TaskState.Success)).ToList(), Ct);
                }
            },
            Ct);

        var seen = new List<int>();
        while (!writing.IsCompleted)
        {
            seen.Add((await reader.GetTasksAsync("a1", Ct)).Count);
        }

        await writing;
        seen.Add((await reader.GetTasksAsync("a1", Ct)).Count);
        Assert.IsTrue(seen.All(count => count % batchSize == 0), $"a reader saw part of a batch: {string.Join(",", seen)}");
        Assert.IsTrue(seen.Zip(seen.Skip(1)).All(pair => pair.First <= pair.Second), "a reader saw records disappear");
        Assert.AreEqual(batches * batchSize, seen[^1]);
    }

    [TestMethod]
    public async Task AWriteCancelledBeforeItIsQueuedIsNotApplied()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(
            () => store.UpsertTaskAsync(TaskRow("a1", "+wf+t", TaskState.Running), cancelled.Token));

        Assert.IsEmpty(await store.GetTasksAsync("a1", Ct));
    }

    [TestMethod]
    public async Task OneBadWriteInABatchFailsOnlyItsCaller()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);
        var session = Session();
        await store.UpsertAttemptAsync(Attempt(session) with { Index = 1 }, Ct);

        // An explicit index that is taken violates the session's unique index.
        var clash = store.UpsertAttemptAsync(Attempt(session, "other") with { Index = 1 }, Ct);
        var fine = Enumerable.Range(0, 50).Select(i => store.UpsertTaskAsync(TaskRow("a1", $"+t{i}", TaskState.Running), Ct)).ToList();

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => clash);
        await Task.WhenAll(fine);
        Assert.HasCount(50, await store.GetTasksAsync("a1", Ct));
    }
}
